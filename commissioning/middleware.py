"""Response headers that keep case data off shared computers and switch off browser features.

A signed-in page shows who funds which refuge and where: no browser or proxy should keep a copy
after the officer signs out of a shared council computer. So every response to a signed-in user
is ``Cache-Control: private, no-store`` (pages, CSV and Excel exports, paper PDFs alike), unless
the view chose its own caching. Static files never get here (WhiteNoise answers them earlier in
the middleware) and keep their long-lived caching; pages for signed-out visitors are untouched.

The service needs no camera, microphone, location or other device feature, so every page says
so (``Permissions-Policy``): an injected script or frame cannot ask for them either.
"""

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)


class ResponseHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-store"
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response

"""The serialisation format of backups: Django's JSON, but keeping microseconds.

Django's JSON encoder cuts times to milliseconds (the ECMA-262 date format). A backup must give
back exactly what it was given: history rows made within one millisecond keep their order, and
a restored database compares equal to the one backed up. Loading needs nothing special (the
fields read full ISO 8601), so backups load with Django's own ``json`` deserializer.
"""

import datetime

from django.core.serializers import json as django_json

Deserializer = django_json.Deserializer


class Encoder(django_json.DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime):
            return o.isoformat()
        if isinstance(o, datetime.time) and o.utcoffset() is None:
            return o.isoformat()
        return super().default(o)


class Serializer(django_json.Serializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = Encoder

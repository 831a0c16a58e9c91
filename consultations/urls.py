from django.urls import path

app_name = "consultations"

urlpatterns: list = []

from django.apps import AppConfig


class PlugAppConfig(AppConfig):
    name = "tests.plug_app"
    label = "plug_app"
    verbose_name = "A test's app"

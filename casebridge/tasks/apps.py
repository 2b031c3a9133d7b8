from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "casebridge.tasks"
    verbose_name = "Actions (tasks)"

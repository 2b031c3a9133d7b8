"""The demo partnership that `manage.py seed_demo` loads: safe to load again."""

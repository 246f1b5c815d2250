# PLACEHOLDER
from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse("todo")


search = register = detail = break_glass = access_log = break_glass_review = _todo

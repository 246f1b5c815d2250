# PLACEHOLDER: replaced by the management-screens work.
from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse("todo")


user_list = user_create_view = user_edit = user_disable_view = user_enable_view = user_totp_reset_view = _todo

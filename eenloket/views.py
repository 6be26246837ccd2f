from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect


@login_required
def home(request):
    """Staff land in the workspace, customers in the portal."""
    if request.user.is_desk_staff:
        return redirect("workspace:queue")
    return redirect("portal:home")

from django.shortcuts import render

from yiwang.parties.models import Applicant


def home(request):
    represented = []
    if request.user.is_authenticated:
        represented = Applicant.objects.filter(representations__user=request.user).select_related(
            "region"
        )
    return render(request, "portal/home.html", {"represented": represented})

from django.shortcuts import render


def month(request):
    return render(request, "workdays/month.html", {})

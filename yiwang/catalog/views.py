from django.shortcuts import render


def item_list(request):
    return render(request, "catalog/item_list.html", {})

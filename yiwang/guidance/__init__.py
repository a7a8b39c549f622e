"""Guidance every institution can read before and after it opens: resource-layout guidance
(regions classed per specialty from imported figures and the licence register) and the
compliance guide (laws, articles, common violations). Reference data only: it changes no case.
"""

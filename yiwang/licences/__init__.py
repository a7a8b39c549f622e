"""Licences (证照): the register of licences issued or imported, their signed e-licences, renewal,
change, cancellation, revocation, medical institution verification (校验) and dated policies.

It never decides a case (that is `yiwang.cases`) and never changes a licence outside a service.
"""

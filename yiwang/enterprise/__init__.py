"""Services to one enterprise (服务企业): its service secretary (服务专员), the three lists of
seed 002 (its problems, what the government did for it, its development potential) and the
front services experts give before it applies. It never decides a case; it only points at one.
"""

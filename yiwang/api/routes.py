"""The API object: every app's router under /api/v1/."""

from ninja import NinjaAPI, Router, Schema

from yiwang.api.auth import BearerToken
from yiwang.api.errors import install_handlers
from yiwang.api.guard import guard_api, harden_openapi
from yiwang.api.services import token_issue
from yiwang.appointments.api import router as appointments_router
from yiwang.cases.api import files_router
from yiwang.cases.api import router as cases_router
from yiwang.cases.procedure_api import bundle_router, prereview_router, procedure_router
from yiwang.catalog.api import router as catalog_router
from yiwang.complaints.api import router as complaints_router
from yiwang.credit.api import router as credit_router
from yiwang.disclosure.api import policy_router
from yiwang.disclosure.api import public_router as disclosure_public_router
from yiwang.disclosure.api import router as disclosure_router
from yiwang.enterprise.api import front_router as front_services_router
from yiwang.enterprise.api import router as enterprise_router
from yiwang.guidance.api import router as guidance_router
from yiwang.indicators.api import router as indicators_router
from yiwang.licences.api import router as licences_router
from yiwang.parties.api import router as parties_router
from yiwang.ratings.api import public_router as ratings_public_router
from yiwang.ratings.api import router as ratings_router
from yiwang.supervision.api import public_router as supervision_public_router
from yiwang.supervision.api import router as supervision_router
from yiwang.workdays.api import router as calendar_router


class YiwangAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        document = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return harden_openapi(document)


api = YiwangAPI(
    title="Yiwang API",
    version="1",
    description="一网 — licensing and supervision of a health commission. See API.md.",
    auth=BearerToken(),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_handlers(api)
guard_api(api)

auth_router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str
    expires_at: str


@auth_router.post("/token", auth=None, response=TokenOut)
def issue_token(request, payload: TokenIn):
    token, expires_at = token_issue(
        username=payload.username, password=payload.password, request=request
    )
    return {"token": token, "expires_at": expires_at.isoformat()}


api.add_router("/auth", auth_router)
api.add_router("/applicants", parties_router)
api.add_router("/calendar", calendar_router)
api.add_router("/items", catalog_router)
api.add_router("/applications", cases_router)
api.add_router("/files", files_router)
api.add_router("/licences", licences_router)
api.add_router("/prereviews", prereview_router)
api.add_router("/bundles", bundle_router)
api.add_router("/procedures", procedure_router)
api.add_router("/credit", credit_router)
api.add_router("/appointments", appointments_router)
api.add_router("/enterprises", enterprise_router)
api.add_router("/front-services", front_services_router)
api.add_router("/guidance", guidance_router)
api.add_router("/supervision", supervision_router)
api.add_router("/public/supervision", supervision_public_router)
api.add_router("/ratings", ratings_router)
api.add_router("/public", ratings_public_router)
api.add_router("/public", disclosure_public_router)
api.add_router("/disclosure", disclosure_router)
api.add_router("/policies", policy_router)
api.add_router("/complaints", complaints_router)
api.add_router("/indicators", indicators_router)

"""The API object: every app's router under /api/v1/."""

from ninja import NinjaAPI, Router, Schema

from yiwang.api.auth import BearerToken
from yiwang.api.errors import install_handlers
from yiwang.api.guard import harden_openapi
from yiwang.api.services import token_issue
from yiwang.cases.api import files_router
from yiwang.cases.api import router as cases_router
from yiwang.cases.procedure_api import bundle_router, prereview_router, procedure_router
from yiwang.catalog.api import router as catalog_router
from yiwang.licences.api import router as licences_router
from yiwang.parties.api import router as parties_router
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

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from coalition.governance.services import token_user


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_user(token=token)
        if user is not None:
            request.user = user  # type: ignore[assignment]
        return user

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from coalition.governance.selectors import user_for_token


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token=token)
        if user is not None:
            request.user = user  # type: ignore[assignment]
        return user

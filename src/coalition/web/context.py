from django.http import HttpRequest

from coalition.governance.selectors import delegate_of, illustrative_records_present


def navigation(request: HttpRequest) -> dict[str, object]:
    return {
        "delegate": delegate_of(getattr(request, "user", None)),
        "illustrative": illustrative_records_present(),
    }

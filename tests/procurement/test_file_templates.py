"""Issue 12: no template file to download. The requirements and offers upload forms offer
the file's header and one example row, as CSV and XLSX, that import once filled."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from coalition.governance.models import Coalition
from coalition.procurement import needsfile, offersfile
from coalition.procurement.models import Offer, Requirement
from tests.procurement.purchase import BENEFICIARY, FUND_MANAGER, purchase_setup

pytestmark = pytest.mark.django_db
SLUG = "/coalitions/drone-coalition"


def _login(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password="demo")
    return client


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_requirements_template_imports_once_filled(demo: Coalition, fmt: str) -> None:
    client = _login(BENEFICIARY)
    assert f'href="?template={fmt}"' in client.get(f"{SLUG}/requirements/").content.decode()
    response = client.get(f"{SLUG}/requirements/?template={fmt}")
    assert response.status_code == 200
    assert f'filename="requirements-file-template.{fmt}"' in response["Content-Disposition"]
    if fmt == "csv":
        header, example = list(csv.reader(io.StringIO(response.content.decode())))
        assert tuple(header) == needsfile.COLUMNS and example[0].startswith("REQ-")
    upload = SimpleUploadedFile(f"needs.{fmt}", response.content)
    done = client.post(f"{SLUG}/requirements/import/", {"file": upload})
    assert done.status_code == 302, done.content.decode()[-1500:]
    assert Requirement.objects.filter(note="example: replace this row").count() == 1


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_offers_template_imports_once_filled(demo: Coalition, fmt: str) -> None:
    purchase_setup(demo, close=False, join=False)
    client, url = _login(FUND_MANAGER), f"{SLUG}/competitions/TR-1/"
    assert f'href="?template={fmt}"' in client.get(url).content.decode()
    response = client.get(f"{url}?template={fmt}")
    assert f'filename="offers-file-template.{fmt}"' in response["Content-Disposition"]
    if fmt == "csv":
        header, example = list(csv.reader(io.StringIO(response.content.decode())))
        assert tuple(header) == offersfile.COLUMNS and example[4] == "tactical-recon"
    upload = SimpleUploadedFile(f"offers.{fmt}", response.content)
    done = client.post(url + "offers/import/", {"file": upload})
    assert done.status_code == 302, done.content.decode()[-1500:]
    assert Offer.objects.filter(reference="OFFER-1").count() == 1

"""The README's curl session, run as written against a live server (curl and jq required)."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from commissioners.models import DemandCategory
from commissioners.services import demand_submit
from tests.approvals import factories as af

from .conftest import PASSWORD

README = Path(settings.BASE_DIR) / "README.md"


def _session():
    text = README.read_text(encoding="utf-8")
    block = re.search(r"<!-- api-session -->\s*```sh\n(.*?)```\s*<!-- /api-session -->", text, re.S)
    assert block, "README.md has no api-session block"
    return block.group(1)


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_the_readme_curl_session_runs(live_server, personas, tmp_path, settings):
    if not (shutil.which("curl") and shutil.which("jq")):
        pytest.skip("curl and jq are needed (apt-get install curl jq)")
    settings.MEDIA_ROOT = tmp_path / "media"
    personas.alice.set_password(PASSWORD)
    personas.alice.save()
    category = DemandCategory.objects.filter(is_active=True).first()
    demand_submit(enterprise=personas.enterprise_a, actor=personas.alice, category=category,
                  title="厂区用电增容")
    (tmp_path / "申请材料.pdf").write_bytes(af.PDF_BYTES)
    script = "set -euo pipefail\n" + _session()
    env = {**os.environ, "BASE": f"{live_server.url}/api/v1", "HST_USER": "alice", "HST_PASSWORD": PASSWORD,
           "CODE": "2026-510300-48-01-900001"}
    done = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr + done.stdout
    out = done.stdout
    assert "project 2026-510300-48-01-900001: submitted" in out
    assert "stage 1 land_planning: pending due -" in out and "stage 4 acceptance: waiting" in out
    assert "uploaded " in out and "demand 厂区用电增容: submitted" in out

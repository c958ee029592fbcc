"""Tenants: API keys sent as Bearer tokens; no key 401, another tenant's job 404."""

from __future__ import annotations

from api_support import job_in, weekly
from rotasat.api.store import Store, hash_key


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_no_key_or_a_wrong_key_is_401(tenants):
    client, _, _ = tenants
    response = client.get("/v1/jobs")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json() == {"detail": "missing API key: send the header 'Authorization: "
                                         "Bearer KEY'"}
    response = client.post("/v1/validate", json=weekly(), headers=bearer("rs_wrong"))
    assert response.status_code == 401 and response.json() == {"detail": "invalid API key"}


def test_a_tenant_sees_only_its_own_jobs(tenants):
    client, acme, globex = tenants
    response = client.post("/v1/jobs?time_limit=5", json=weekly(), headers=bearer(acme))
    assert response.status_code == 202
    url, job_id = response.headers["Location"], response.json()["id"]
    for path in ("", "/events", "/schedule.csv", "/calendar.ics?team=platform"):
        other = client.get(url + path, headers=bearer(globex))
        assert other.status_code == 404 and other.json() == {"detail": f"no job {job_id!r}"}
    assert client.delete(url, headers=bearer(globex)).status_code == 404
    assert client.post(f"{url}/resume", headers=bearer(globex)).status_code == 404
    assert client.get("/v1/jobs", headers=bearer(globex)).json()["total"] == 0
    mine = client.get("/v1/jobs", headers=bearer(acme)).json()
    assert [job["id"] for job in mine["items"]] == [job_id]

    class Authed:  # job_in polls with acme's key
        def get(self, path: str):
            return client.get(path, headers=bearer(acme))

    assert job_in(Authed(), url, "completed")["solution_status"] == "OPTIMAL"  # type: ignore[arg-type]


def test_keys_are_stored_hashed(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'keys.db'}")
    key = store.create_key("acme")
    assert key.startswith("rs_") and len(key) > 40
    raw = (tmp_path / "keys.db").read_bytes() + b"".join(
        p.read_bytes() for p in tmp_path.glob("keys.db-*"))
    assert key.encode() not in raw and hash_key(key).encode() in raw
    assert store.tenant_of(key) == "acme" and store.tenant_of(key + "x") is None
    store.close()

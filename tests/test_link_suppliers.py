"""Capability 6 of issue 11: suppliers are named, not merged.

Every value that names someone and that several chains carry is listed with its role,
its provider and the chains it serves; what is nobody's (an SDK endpoint many genuine apps
use, a brand's package on genuine apps) is not; a host or URL of a listed domain is that
domain's detail. Two gangs sharing a supplier stay two chains.
"""

from __future__ import annotations

import json

from chaincut.link.chains import build_chains
from chaincut.link.chainset import ChainSet
from chaincut.link.export.stix import stix_bundle
from chaincut.link.text import suppliers_text
from chaincut.result.models import ResultIndicator
from tests.link_world import ind, sha
from tests.test_link_pivot import app, chain_of, gang

KEY = "0123456789abcdef01234567"


def key(value: str, provider: str) -> ResultIndicator:
    return ResultIndicator(kind="sdk_app_key", value=value, role="contact", provider=provider)


def _with(arts: list, *extra: ResultIndicator) -> list:  # type: ignore[type-arg]
    return [a.model_copy(update={"indicators": [*a.indicators, *extra]}) for a in arts]


def _listed(cs: ChainSet) -> dict[tuple[str, str], list[str]]:
    return {(s.kind, s.value): s.chains for s in cs.suppliers}


def test_a_shared_sdk_key_is_listed_bare_with_its_provider_and_both_chains() -> None:
    arts = [*_with(gang("g1", 3), key(KEY, "jpush")), *_with(gang("g2", 3), key(KEY, "jpush"))]
    cs = build_chains(arts, [])
    assert len(cs.chains) == 2  # two gangs sharing a supplier stay two chains
    sup = next(s for s in cs.suppliers if s.kind == "sdk_app_key")
    assert (sup.value, sup.provider) == (KEY, "jpush")
    assert sorted(sup.chains) == sorted({chain_of(cs, "g1-0"), chain_of(cs, "g2-0")})
    for chain in cs.chains:
        ref = next(r for r in chain.suppliers if r.kind == "sdk_app_key")
        assert (ref.value, ref.provider, ref.chains) == (KEY, "jpush", 2)
        item = next(i for i in chain.infrastructure if i.kind == "sdk_app_key")
        assert item.provider == "jpush" and item.supplier
    assert f"{KEY} (jpush)" in suppliers_text(cs.suppliers)
    names = [o.get("name", "") for o in json.loads(stix_bundle(cs))["objects"]]
    assert any(f"sdk_app_key (jpush) {KEY}" in n for n in names)


def test_an_sdk_endpoint_many_genuine_apps_use_is_no_supplier() -> None:
    endpoint = ind("url", "https://sdk.push-vendor.example/v2/register")
    arts = [*_with(gang("g1", 3), endpoint), *_with(gang("g2", 3), endpoint)]
    genuine = [app(f"genuine-{i}", "clean", endpoint, ind("package", f"com.shop{i}.app"))
               for i in range(8)]
    cs = build_chains([*arts, *genuine], [])
    assert len(cs.chains) == 2
    assert not [s for s in cs.suppliers if "push-vendor" in s.value]
    assert all(chain_of(cs, f"genuine-{i}") is None for i in range(8))


def test_a_template_package_of_two_chains_is_listed_a_brands_package_is_not() -> None:
    template = ind("package", "uni.UNI0A1B2C3")
    brand = ind("package", "com.bigbank.mobile")
    arts = [*_with(gang("g1", 3), template, brand), *_with(gang("g2", 3), template, brand)]
    genuine = [app(f"bank-{i}", "clean", brand, ind("cert_sha256", sha("bank-cert")))
               for i in range(8)]
    cs = build_chains([*arts, *genuine], [])
    listed = _listed(cs)
    assert len(cs.chains) == 2
    assert len(listed[("package", "uni.UNI0A1B2C3")]) == 2
    assert ("package", "com.bigbank.mobile") not in listed  # mostly on genuine apps


def test_hosts_and_urls_of_a_listed_domain_are_listed_under_it() -> None:
    dl = [ind("url", "https://dl.rent-dist.example/get/app.apk")]
    arts = [*_with(gang("g1", 3), *dl), *_with(gang("g2", 3), *dl)]
    cs = build_chains(arts, [])
    listed = _listed(cs)
    assert ("domain", "rent-dist.example") in listed
    assert ("host", "dl.rent-dist.example") not in listed
    assert ("url", "https://dl.rent-dist.example/get/app.apk") not in listed
    sup = next(s for s in cs.suppliers if s.value == "rent-dist.example")
    assert "dl.rent-dist.example" in sup.covers
    for chain in cs.chains:
        assert [r.value for r in chain.suppliers if "rent-dist" in r.value] == [
            "rent-dist.example"]


def test_a_host_serving_more_chains_than_its_domain_is_listed_itself() -> None:
    """Counter: folding never hides a chain the host serves and the domain does not."""
    shared_host = ind("url", "https://cdn1.split-host.example/a.apk")
    own = [ind("url", "https://x.split-host.example/b")]  # the domain on g1 and g2 only
    arts = [*_with(gang("g1", 3), shared_host, *own), *_with(gang("g2", 3), shared_host, *own),
            *_with(gang("g3", 3), ind("host", "cdn1.split-host.example"))]
    cs = build_chains(arts, [])
    listed = _listed(cs)
    assert len(cs.chains) == 3
    assert len(listed[("host", "cdn1.split-host.example")]) == 3


def test_a_server_address_two_gangs_rent_is_listed_and_glues_nobody() -> None:
    """A documentation-range address stands for a public server like any other (RFC 5737
    addresses are what redacted samples and test data use); shared hosting serves many
    tenants, so an address is named as a server supplier but never holds chains together."""
    server = ind("ip", "203.0.113.7")
    arts = [*_with(gang("g1", 3), server), *_with(gang("g2", 3), server)]
    cs = build_chains(arts, [])
    assert len(cs.chains) == 2
    sup = next(s for s in cs.suppliers if s.kind == "ip")
    assert (sup.value, sup.role) == ("203.0.113.7", "server")
    assert sorted(sup.chains) == sorted({chain_of(cs, "g1-0"), chain_of(cs, "g2-0")})


def test_a_private_address_links_and_names_nobody() -> None:
    """A LAN address in many apps (a debug server, a router's page) is nobody's server."""
    lan = [app(f"lan-{i}", "malicious", ind("ip", "192.168.1.10"),
               ind("package", f"com.lan{i}.app")) for i in range(4)]  # fmt: skip
    cs = build_chains([*lan, *_with(gang("g1", 3), ind("ip", "192.168.1.10"))], [])
    chains = {chain_of(cs, f"lan-{i}") for i in range(4)} | {chain_of(cs, "g1-0")}
    assert len(chains) == 5  # each app alone: the address ties none of them
    assert not [s for s in cs.suppliers if s.kind == "ip"]

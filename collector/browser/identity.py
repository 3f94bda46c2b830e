"""Who the browser says it is, and whether that holds together.

LinkedIn judges a visit by what the browser sends (the User-Agent, the ``sec-ch-ua`` client hints)
and what its page can read (``navigator``): a visit that contradicts itself, says "Headless" or
reports ``navigator.webdriver`` loses the session (``../shared/reference/session-and-identity.md``).
The bar is coherence, not invisibility: nothing here injects or fakes anything. The browser's own
switches and Playwright's own User-Agent option (which sets the matching client-hint metadata)
make a headless run present itself as the same Chromium does with a window.

Pure: no Playwright, no I/O. The visit and the sign-in read an :class:`Identity` with
:data:`READ_IDENTITY`; runs, the profile's session record and ``ssi doctor`` keep and compare it.
"""

from __future__ import annotations

import re
import sys
from dataclasses import asdict, dataclass, replace
from typing import Any

# Evaluated in the page: what a site's own script can read of the browser, the detailed client
# hints (getHighEntropyValues: what a site may also ask for in Sec-CH-UA-* headers) included.
READ_IDENTITY = """
async () => {
  const d = navigator.userAgentData;
  let details = null;
  if (d) {
    try {
      const keys = ['architecture', 'bitness', 'model', 'platformVersion', 'wow64'];
      const h = await d.getHighEntropyValues([...keys, 'fullVersionList']);
      details = keys.map(k => k + '=' + h[k])
        .concat((h.fullVersionList || []).map(b => 'version:' + b.brand + '/' + b.version));
    } catch (e) { details = null; }
  }
  return {
    user_agent: navigator.userAgent,
    brands: d ? d.brands.map(b => b.brand + '/' + b.version) : null,
    platform: d ? d.platform : null,
    mobile: d ? d.mobile : null,
    webdriver: navigator.webdriver === true,
    details: details,
  };
}
"""

# Chromium's reduced User-Agent names one platform per system, whatever the machine (Chrome 101+).
_UA_PLATFORMS = {"darwin": "Macintosh; Intel Mac OS X 10_15_7", "win32": "Windows NT 10.0; Win64; x64"}
_LINUX_UA_PLATFORM = "X11; Linux x86_64"
# What sec-ch-ua-platform / userAgentData.platform say for each User-Agent platform.
_PLATFORM_WORDS = (("Windows NT", "Windows"), ("Macintosh", "macOS"), ("CrOS", "Chrome OS"),
                   ("Android", "Android"), ("Linux", "Linux"))
_CHROME = re.compile(r"\b(Headless)?Chrome/(\d+)")


def major_version(version: str | None) -> str | None:
    """156 from "156.0.8078.114" or "Chromium 156.0.8078.114 built on Debian"; None when there is none."""
    match = re.search(r"\b(\d{2,4})(?:\.\d+)*\b", version or "")
    return match.group(1) if match else None


def user_agent_for(version: str, system: str = sys.platform) -> str:
    """The User-Agent the same Chromium sends with a window, for its ``version`` as the running
    browser reports it ("156.0.8078.114", or "Chromium 156.0…" from ``--version``). Chromium
    reports major.0.0.0 and one platform string per system; headless builds differ only in saying
    "HeadlessChrome", which this leaves out."""
    major = major_version(version)
    if major is None:
        raise ValueError(f"not a browser version: {version!r}")
    platform = _UA_PLATFORMS.get(system, _LINUX_UA_PLATFORM)
    return (f"Mozilla/5.0 ({platform}) AppleWebKit/537.36 (KHTML, like Gecko) "
            f"Chrome/{major}.0.0.0 Safari/537.36")


@dataclass(frozen=True)
class Identity:
    """What one visit presented: the page's ``navigator`` view, and (when seen) the headers sent."""

    user_agent: str
    brands: tuple[str, ...] | None  # "Chromium/156", from navigator.userAgentData (None: not offered)
    platform: str | None
    mobile: bool | None
    webdriver: bool
    sec_ch_ua: str | None = None  # the request headers of the page itself, as the browser sent them
    sec_ch_ua_platform: str | None = None
    header_user_agent: str | None = None
    # The detailed client hints, "platformVersion=…", "architecture=x86", "version:Chromium/156.0.…".
    details: tuple[str, ...] | None = None

    @classmethod
    def from_json(cls, data: Any) -> Identity | None:
        """From what READ_IDENTITY returned or to_json() wrote; None for anything else."""
        if not isinstance(data, dict) or not isinstance(data.get("user_agent"), str):
            return None
        brands, details = data.get("brands"), data.get("details")
        text = {key: data.get(key) if isinstance(data.get(key), str) else None
                for key in ("platform", "sec_ch_ua", "sec_ch_ua_platform", "header_user_agent")}
        return cls(
            user_agent=data["user_agent"],
            brands=tuple(str(b) for b in brands) if isinstance(brands, (list, tuple)) else None,
            details=tuple(str(d) for d in details) if isinstance(details, (list, tuple)) else None,
            mobile=data.get("mobile") if isinstance(data.get("mobile"), bool) else None,
            webdriver=data.get("webdriver") is True,
            **text,
        )

    def with_headers(self, headers: dict[str, str]) -> Identity:
        """The same, with the page request's own headers (names in lower case, as Playwright gives them)."""
        return replace(self, sec_ch_ua=headers.get("sec-ch-ua"), sec_ch_ua_platform=headers.get("sec-ch-ua-platform"),
                       header_user_agent=headers.get("user-agent"))

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("brands", "details"):
            data[key] = list(getattr(self, key)) if getattr(self, key) is not None else None
        return data

    def summary(self) -> str:
        """One line for people: "Chrome 156 on Linux, webdriver off"."""
        match = _CHROME.search(self.user_agent)
        name = (f"{'HeadlessChrome' if match.group(1) else 'Chrome'} {match.group(2)}" if match
                else self.user_agent[:60])
        return f"{name} on {self.platform or _ua_platform(self.user_agent) or 'an unknown system'}" + (
            ", webdriver on" if self.webdriver else "")


def _ua_platform(user_agent: str) -> str | None:
    inside = re.search(r"\(([^)]*)\)", user_agent)
    for marker, word in _PLATFORM_WORDS:
        if inside and marker in inside.group(1):
            return word
    return None


def _brand_versions(brands: tuple[str, ...] | list[str]) -> dict[str, str]:
    return {b.rsplit("/", 1)[0]: b.rsplit("/", 1)[-1] for b in brands}


def _header_brands(sec_ch_ua: str) -> tuple[str, ...]:
    """'"Not:A-Brand";v="8", "Chromium";v="156"' as ("Not:A-Brand/8", "Chromium/156")."""
    return tuple(f"{name}/{version}" for name, version in re.findall(r'"([^"]*)"\s*;\s*v="([^"]*)"', sec_ch_ua))


def problems(identity: Identity) -> list[str]:
    """Every way ``identity`` contradicts itself or gives itself away, in words; [] when coherent."""
    found: list[str] = []
    texts = {"the User-Agent": identity.user_agent, "the request's User-Agent": identity.header_user_agent or "",
             "the client hints (sec-ch-ua)": identity.sec_ch_ua or "",
             "navigator.userAgentData.brands": " ".join(identity.brands or ())}
    found += [f"{where} says Headless" for where, text in texts.items() if "headless" in text.lower()]
    if identity.webdriver:
        found.append("navigator.webdriver is true")
    chrome = _CHROME.search(identity.user_agent)
    full = tuple(d.removeprefix("version:").split(".")[0] for d in identity.details or () if d.startswith("version:"))
    brand_sets = {"navigator.userAgentData.brands": identity.brands, "the full version list": full or None}
    if identity.sec_ch_ua is not None:
        brand_sets["the client hints (sec-ch-ua)"] = _header_brands(identity.sec_ch_ua)
    for where, brands in brand_sets.items():
        if chrome is None or brands is None:
            continue
        versions = _brand_versions(brands)
        version = versions.get("Google Chrome") or versions.get("Chromium")
        if version != chrome.group(2):
            found.append(f"the User-Agent says Chrome {chrome.group(2)} but {where} say {version or 'no Chromium'}")
    ua_platform = _ua_platform(identity.user_agent)
    platforms = {"navigator.userAgentData.platform": identity.platform,
                 "sec-ch-ua-platform": (identity.sec_ch_ua_platform or "").strip('"') or None}
    for where, platform in platforms.items():
        if ua_platform and platform and platform != ua_platform:
            found.append(f"the User-Agent says {ua_platform} but {where} says {platform}")
    if identity.header_user_agent and identity.header_user_agent != identity.user_agent:
        found.append("the page's navigator.userAgent differs from the User-Agent header it was sent with")
    return found


# What LinkedIn compares between visits (the headers follow from these when coherent).
_COMPARED = (("user_agent", "User-Agent"), ("brands", "brands"), ("platform", "platform"),
             ("mobile", "mobile"), ("webdriver", "webdriver"), ("details", "detailed client hints"))


def changes(before: Identity, after: Identity) -> list[str]:
    """What differs between two visits' identities, in words ("User-Agent: Chrome/156 → Chrome/157")."""
    found = []
    for attribute, name in _COMPARED:
        old, new = getattr(before, attribute), getattr(after, attribute)
        if old != new:
            found.append(f"{name}: {_show(old)} → {_show(new)}")
    return found


def _show(value: Any) -> str:
    if isinstance(value, tuple):
        return ", ".join(value)
    if isinstance(value, str):
        match = _CHROME.search(value)
        return match.group(0) if match else value
    return str(value)

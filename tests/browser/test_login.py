"""An official logs in on a phone and on a desktop, in Chinese and in English."""

from tests.browser.conftest import DESKTOP, PHONE, log_in, screenshot
from tests.factories import PASSWORD


def test_community_staff_logs_in_on_a_phone_and_sees_home_in_chinese(new_page, community_staff):
    page = new_page(PHONE)
    page.goto("/")
    assert "/accounts/login/" in page.url
    assert page.locator("h1").inner_text() == "登录"
    screenshot(page, "login-phone-zh")
    log_in(page, "community", PASSWORD)
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "欢迎" in page.locator("h1").inner_text()
    assert "北大街街道 · 新村社区" in page.locator(".who__scope").inner_text()
    # Nothing wider than the phone: no sideways scrolling of the page itself.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "home-phone-zh")


def test_official_switches_to_english_on_desktop(new_page, community_staff):
    page = new_page(DESKTOP)
    page.goto("/accounts/login/")
    page.click("button[name=language][value=en]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Log in"
    screenshot(page, "login-desktop-en")
    log_in(page, "community", PASSWORD)
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Welcome" in page.locator("h1").inner_text()
    screenshot(page, "home-desktop-en")

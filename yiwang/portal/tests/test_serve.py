"""`make run`'s launcher: what its children are told."""

from yiwang.portal.management.commands.serve import child_environment


def test_the_served_port_is_the_public_address_unless_one_is_configured(monkeypatch):
    monkeypatch.delenv("YIWANG_PUBLIC_URL", raising=False)
    assert child_environment(8123)["YIWANG_PUBLIC_URL"] == "http://127.0.0.1:8123"
    monkeypatch.setenv("YIWANG_PUBLIC_URL", "https://zwfw.example.cn")
    assert child_environment(8123)["YIWANG_PUBLIC_URL"] == "https://zwfw.example.cn"

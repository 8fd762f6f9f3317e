import pytest


@pytest.fixture
def users(demo_users, settings, tmp_path):
    """The demo users, the defect list (a flushed database loses the migration's
    rows) and a media folder of the test's own."""
    from quality.defects import ensure

    settings.MEDIA_ROOT = tmp_path
    ensure()
    return demo_users

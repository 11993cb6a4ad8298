"""Fixtures for delegate lists: a forum with a few bridge points, and a place for uploads."""

import pytest

# Thành phố Hà Giang (024) with Phường Quang Trung (00688); Huyện Đồng Văn (026) with Thị trấn
# Đồng Văn (00721) and Xã Tả Lủng (00742); another Xã Tả Lủng (00796) in Huyện Mèo Vạc (027);
# Xã Thanh Thủy (00928) in Huyện Vị Xuyên (030). Adding a commune adds its district too.
UNIT_CODES = ['024', '00688', '026', '00721', '00742', '00796', '00928']


@pytest.fixture
def list_forum(create_forum):
    """A three-tier Hà Giang forum with the bridge points of ``UNIT_CODES``."""
    return create_forum(title='Tọa đàm truyền thông chính sách', unit_codes=UNIT_CODES)


@pytest.fixture
def venue_by_code(list_forum):
    return {venue.unit_code: venue for venue in list_forum.venues}


@pytest.fixture(autouse=True)
def _jobs_run(job_worker):
    """The pages and the API of this area hand their heavy work to the job worker."""

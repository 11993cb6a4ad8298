"""How administrative documents write dates, times and counts."""

from datetime import date, time

# The tiers as the documents name them (always Vietnamese): "điểm cầu cấp huyện".
TIER_NAMES = {'province': 'cấp tỉnh', 'district': 'cấp huyện', 'commune': 'cấp xã'}
WEEKDAYS = ('thứ Hai', 'thứ Ba', 'thứ Tư', 'thứ Năm', 'thứ Sáu', 'thứ Bảy', 'Chủ nhật')


def day_and_month(day: date) -> tuple[str, str]:
    """Day and month as the decree writes them: a zero before days under 10 and months 1 and 2."""
    return f'{day.day:02d}', (f'{day.month:02d}' if day.month <= 2 else str(day.month))


def dated_line(locality: str, day: date | None, year: int) -> str:
    """``Hà Giang, ngày 23 tháng 5 năm 2023``; without a date, blanks for the clerk."""
    if day is None:
        return f'{locality}, ngày      tháng      năm {year}'
    dd, mm_ = day_and_month(day)
    return f'{locality}, ngày {dd} tháng {mm_} năm {day.year}'


def long_date(day: date) -> str:
    """``ngày 23 tháng 5 năm 2023``, as a sentence writes a date."""
    dd, mm_ = day_and_month(day)
    return f'ngày {dd} tháng {mm_} năm {day.year}'


def short_date(day: date) -> str:
    """``23/5/2023``; days under 10 and January and February with a zero, as the decree writes."""
    dd, mm_ = day_and_month(day)
    return f'{dd}/{mm_}/{day.year}'


def clock(value: time) -> str:
    """``08 giờ 00``, as administrative documents write a time."""
    return f'{value.hour:02d} giờ {value.minute:02d}'


def count(value: int) -> str:
    """``2.100``: Vietnamese writes thousands with a dot."""
    return f'{value:,}'.replace(',', '.')

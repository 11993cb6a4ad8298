"""The Hà Giang demo forum of 23 May 2023."""

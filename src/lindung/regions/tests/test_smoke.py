def test_pali_has_five_districts_and_71_villages(db):
    from lindung.regions.models import Region

    assert Region.objects.filter(parent_id="1612").count() == 5
    villages = Region.objects.filter(level=4, code__startswith="1612")
    assert villages.count() == 71
    assert villages.filter(kind="desa").count() == 65
    assert villages.filter(kind="kelurahan").count() == 6

import pytest

from lindung.duplicates.names import name_key, normalise_name


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Muhammad Yusuf", "M. Yusuf"),
        ("Muhammad Yusuf", "Muhamad Yusup"),
        ("Mochammad Rachman", "Muhammad Rahman"),
        ("Djoko Soesilo", "Joko Susilo"),
        ("Achmad Tjahjono", "Ahmad Cahyono"),
        ("H. Abdul Hamid, S.Pd.", "Abd. Hamid"),
        ("SITI AMINAH", "Siti  Aminah"),
        ("Siti Aminah binti Ali", "Siti Aminah"),
        ("Noor Hasanah", "Nur Hasanah"),
    ],
)
def test_indonesian_spelling_variants_normalise_to_the_same_name(a, b):
    assert normalise_name(a) == normalise_name(b)


def test_patronym_is_kept_apart_from_the_given_names():
    key = name_key("Siti Aminah binti Ali")
    assert (key.given, key.patronym, key.first) == ("siti aminah", "ali", "siti")


def test_different_people_stay_different():
    assert normalise_name("Siti Aminah") != normalise_name("Siti Aisyah")
    assert normalise_name("Budi Santoso") != normalise_name("Budi Susanto")

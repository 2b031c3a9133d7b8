"""Spellings of an address that name the same account are one account for sign-in, reset and lockout."""

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from casebridge.accounts.email_key import email_key
from casebridge.accounts.models import User
from tests.personas import PASSWORD, PersonasTestCase, make_user

SIGN_IN = reverse("accounts:sign_in")
PASSWORD_RESET = reverse("accounts:password_reset")
ADDRESS = "asb.officer@council.example"
# Long s, dotless i and upper case: PostgreSQL's UPPER() folds each to ASB.OFFICER@COUNCIL.EXAMPLE.
SPELLINGS = ["a\u017fb.officer@council.example", "asb.off\u0131cer@council.example", "ASB.Officer@council.example"]


class EmailSpellingTests(PersonasTestCase):
    officer: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.officer = make_user(ADDRESS, cls.council, roles={cls.surrey_heath: "practitioner"})

    def attempt(self, email: str, password: str):
        return self.client.post(SIGN_IN, {"username": email, "password": password})

    def test_other_spellings_of_an_address_do_not_get_their_own_lockout_counter(self):
        for i in range(5):
            self.attempt(SPELLINGS[i % len(SPELLINGS)], "wrong password")
        assert set(AccessAttempt.objects.values_list("username", flat=True)) == {ADDRESS}
        assert self.attempt(ADDRESS, PASSWORD).status_code == 429
        for spelling in SPELLINGS:
            assert self.attempt(spelling, PASSWORD).status_code == 429, spelling

    def test_a_spelling_that_names_the_account_signs_in_as_that_account_on_every_database(self):
        for spelling in SPELLINGS:
            with self.subTest(spelling=spelling):
                response = self.attempt(spelling, PASSWORD)
                assert response.status_code == 302, spelling
                assert self.client.session["_auth_user_id"] == str(self.officer.pk)
                self.client.logout()

    def test_a_password_reset_for_another_spelling_goes_to_the_accounts_own_address(self):
        response = self.client.post(PASSWORD_RESET, {"email": SPELLINGS[0]})
        assert response.status_code == 302
        assert [message.to for message in mail.outbox] == [[ADDRESS]]

    def test_a_second_account_cannot_take_another_spelling_of_an_address(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            make_user(SPELLINGS[1], self.council)
        assert User.objects.with_email(SPELLINGS[1]).get() == self.officer


@given(st.text(max_size=40))
def test_the_canonical_form_of_an_address_is_its_own_canonical_form(text):
    assert email_key(email_key(text)) == email_key(text)

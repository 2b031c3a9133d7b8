from django.template import Context, Template, TemplateSyntaxError
from django.test import SimpleTestCase


def render(source: str, **context) -> str:
    return Template("{% load i18n tables %}" + source).render(Context(context))


class TableHeadTests(SimpleTestCase):
    def test_each_label_becomes_a_column_header_in_order(self):
        html = render('{% table_head _("Name") _("Status") %}')
        assert html == (
            '<thead class="govuk-table__head"><tr class="govuk-table__row">'
            '<th scope="col" class="govuk-table__header">Name</th>'
            '<th scope="col" class="govuk-table__header">Status</th>'
            "</tr></thead>"
        )

    def test_a_numeric_column_is_right_aligned(self):
        html = render('{% table_head _("Date") _("Score")|numeric %}')
        assert '<th scope="col" class="govuk-table__header">Date</th>' in html
        assert '<th scope="col" class="govuk-table__header govuk-table__header--numeric">Score</th>' in html

    def test_a_visually_hidden_label_is_kept_for_screen_readers(self):
        html = render('{% table_head _("Name") _("Actions")|visually_hidden %}')
        hidden = '<span class="govuk-visually-hidden">Actions</span>'
        assert f'<th scope="col" class="govuk-table__header">{hidden}</th>' in html

    def test_markers_combine(self):
        html = render('{% table_head _("Total")|numeric|visually_hidden %}')
        assert (
            '<th scope="col" class="govuk-table__header govuk-table__header--numeric">'
            '<span class="govuk-visually-hidden">Total</span></th>'
        ) in html

    def test_a_column_shown_only_if_a_flag_is_true_is_left_out_otherwise(self):
        source = '{% table_head _("Name") _("Actions")|visually_hidden|shown_if:can_manage %}'
        assert "Actions" in render(source, can_manage=True)
        hidden = render(source, can_manage=False)
        assert "Actions" not in hidden
        assert hidden.count("<th ") == 1

    def test_the_caption_comes_before_the_head_with_its_classes(self):
        html = render('{% table_head _("Name") caption=_("People") caption_class="govuk-table__caption--m" %}')
        assert html.startswith('<caption class="govuk-table__caption govuk-table__caption--m">People</caption>\n<thead')

    def test_a_caption_without_classes_has_only_the_base_class(self):
        html = render('{% table_head _("Name") caption=_("People") %}')
        assert html.startswith('<caption class="govuk-table__caption">People</caption>')

    def test_no_caption_is_rendered_without_one(self):
        assert "<caption" not in render('{% table_head _("Name") caption_class="govuk-visually-hidden" %}')

    def test_a_plural_caption_can_come_from_blocktranslate(self):
        source = (
            "{% blocktranslate count n=rows|length asvar caption %}{{ n }} row{% plural %}{{ n }} rows"
            '{% endblocktranslate %}{% table_head _("Name") caption=caption %}'
        )
        assert '<caption class="govuk-table__caption">3 rows</caption>' in render(source, rows=[1, 2, 3])

    def test_labels_and_captions_from_data_are_escaped(self):
        script = "<script>alert(1)</script>"
        html = render("{% table_head label label|visually_hidden caption=title %}", label=script, title=script)
        assert "<script>" not in html
        assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 3

    def test_a_misspelt_option_is_a_syntax_error(self):
        with self.assertRaisesMessage(TemplateSyntaxError, "not captions"):
            render('{% table_head _("Name") captions=_("People") %}')

    def test_a_label_may_contain_an_equals_sign(self):
        assert ">a = b</th>" in render('{% table_head _("a = b") %}')

"""Make docmine's copies of the installed Datasette's templates with its English words replaced by
``docmine_ui.<key>`` (rules/strings.yaml, section ``ui``: Vietnamese first, English beside it).

Run after upgrading Datasette: ``python docs/datasette_templates.py``. It copies each template below from the
installed version into extractor/templates/ (docmine's ``table.html`` there extends the copy
``_datasette_table.html``, so its own blocks stay small; ``row.html`` is docmine's own edit), and fails loudly when a
phrase it replaces is no longer in the new version's template (the copy would keep English).
"""

from __future__ import annotations

import sys
from pathlib import Path

import datasette

SOURCE = Path(datasette.__file__).parent / "templates"
TARGET = Path(__file__).resolve().parent.parent / "extractor" / "templates"


def u(key: str) -> str:
    return "{{ docmine_ui." + key + " }}"


ROWS = u("rows")
# template in Datasette → (name of docmine's copy, [(Datasette's text, docmine's)])
COPIES: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "table.html": ("_datasette_table.html", [
        ("Table actions", u("table_actions")),
        ("{% if is_view %} (view){% endif %}", "{% if is_view %} (" + u("view") + "){% endif %}"),
        ('<label for="_search">Search:</label>', f'<label for="_search">{u("search")}</label>'),
        ("- remove filter -", u("remove_filter")),
        ("- column -", u("pick_column")),
        ('<option value="">Sort...</option>', f'<option value="">{u("sort")}</option>'),
        (">Sort by {{ column.name }}<", ">" + u("sort_by") + " {{ column.name }}<"),
        ("> descending</label>", "> " + u("descending") + "</label>"),
        ('value="Apply"', 'value="' + u("apply") + '"'),
        ("extra where clause{% if extra_wheres_for_ui|length != 1 %}s{% endif %}", u("extra_where")),
        ('">remove</a>]', '">' + u("remove") + "</a>]"),
        ("View and edit SQL", u("edit_sql")),
        ('<p class="export-links">This data as ', '<p class="export-links">' + u("this_data_as") + " "),
        ('(<a href="#export">advanced</a>)', '(<a href="#export">' + u("advanced") + "</a>)"),
        ("These facets timed out:", u("facets_timed_out")),
        ('">Next page</a>', '">' + u("next_page") + "</a>"),
        ("<h3>Advanced export</h3>", "<h3>" + u("advanced_export") + "</h3>"),
        ("<p>JSON shape:", "<p>" + u("json_shape")),
        ("CSV options:", u("csv_options")),
        ("> download file</label>", "> " + u("download_file") + "</label>"),
        ("> expand labels</label>", "> " + u("expand_labels") + "</label>"),
        ("> stream all rows</label>", "> " + u("stream_all_rows") + "</label>"),
        ('value="Export CSV"', 'value="' + u("export_csv") + '"'),
        ('{{ "{:,}".format(filtered_table_rows_count) }} row{% if filtered_table_rows_count == 1 %}{% else %}s'
         '{% endif %}', '{{ "{:,}".format(filtered_table_rows_count).replace(",", ".") }} ' + ROWS),
        ('<pre class="wrapped-sql">{{ table_definition }}</pre>', '<details class="docmine-schema"><summary>'
         + u("schema") + '</summary><pre class="wrapped-sql">{{ table_definition }}</pre></details>'),
        ('<pre class="wrapped-sql">{{ view_definition }}</pre>', '<details class="docmine-schema"><summary>'
         + u("schema") + '</summary><pre class="wrapped-sql">{{ view_definition }}</pre></details>'),
        ("{% if human_description_en %}{{ human_description_en }}{% endif %}",
         "{% if human_description_en %}{{ docmine_describe(human_description_en) }}{% endif %}"),
        ("<script src=\"{{ urls.static('table.js') }}\" defer></script>",
         "<script src=\"{{ urls.static('table.js') }}\" defer></script>\n{% include \"_docmine_table_menu.html\" %}"),
    ]),
    "_table.html": ("_table.html", [
        ('scope="col" data-column="{{ column.name }}" data-column-type="{{ column.type.lower() }}" '
         'data-column-not-null="{{ column.notnull }}" data-is-pk="{% if column.is_pk %}1{% else %}0{% endif %}">',
         'scope="col" data-column="{{ column.name }}" data-column-type="{{ column.type.lower() }}" '
         'data-column-not-null="{{ column.notnull }}" data-is-pk="{% if column.is_pk %}1{% else %}0{% endif %}">'
         '{% if docmine_labels and docmine_labels.get(column.name) %}<span class="docmine-label">'
         '{{ docmine_labels[column.name] }}</span><br>{% endif %}'),
        ('<p class="zero-results">0 records</p>', '<p class="zero-results">' + u("zero_records") + "</p>"),
    ]),
    "_suggested_facets.html": ("_suggested_facets.html", [("Suggested facets:", u("suggested_facets"))]),
    "_footer.html": ("_footer.html", [
        ("Powered by <a", u("powered_by") + " <a"),
        ("Queries took {{ query_ms|round(3) }}ms", u("queries_took") + " {{ query_ms|round(3) }} ms"),
        ("Data license:", u("data_license")),
        ("Data source:", u("data_source")),
        ("About:", u("about")),
    ]),
    "query.html": ("query.html", [
        ("{% block title %}{{ database }}{% if query and query.sql %}: {{ query.sql }}{% endif %}{% endblock %}",
         "{% block title %}{% if canned_query %}{{ metadata.title or canned_query }} · {% elif query and query.sql %}"
         "{{ query.sql }} · {% endif %}{{ database }}{% endblock %}"),
        ("This query cannot be executed because the database is immutable.", u("immutable")),
        ("<h3>Custom SQL query{% if display_rows %} returning {% if truncated %}more than {% endif %}"
         '{{ "{:,}".format(display_rows|length) }} row{% if display_rows|length == 1 %}{% else %}s{% endif %}'
         "{% endif %}",
         "<h3>" + u("custom_sql") + "{% if display_rows %} " + u("returning") + " {% if truncated %}"
         + u("more_than") + ' {% endif %}{{ "{:,}".format(display_rows|length).replace(",", ".") }} ' + ROWS
         + "{% endif %}"),
        ("<h3>Query parameters</h3>", "<h3>" + u("query_parameters") + "</h3>"),
        ('hidden>Format SQL</button>', "hidden>" + u("format_sql") + "</button>"),
        ('value="Run SQL"', 'value="' + u("run_sql") + '"'),
        ('class="canned-query-edit-sql">Edit SQL</a>', 'class="canned-query-edit-sql">' + u("edit_sql") + "</a>"),
        ('<p class="export-links">This data as ', '<p class="export-links">' + u("this_data_as") + " "),
        ('<p class="zero-results">0 results</p>', '<p class="zero-results">' + u("zero_results") + "</p>"),
        ('{% include "_codemirror_foot.html" %}', '{% include "_codemirror_foot.html" %}\n'
         '{% include "_docmine_table_menu.html" %}'),
    ]),
    "database.html": ("database.html", [
        ("Table actions", u("table_actions")),
        ("<h3>Custom SQL query</h3>", "<h3>" + u("custom_sql") + "</h3>"),
        ('hidden>Format SQL</button>', "hidden>" + u("format_sql") + "</button>"),
        ('value="Run SQL"', 'value="' + u("run_sql") + '"'),
        ("<p>The following databases are attached to this connection, and can be used for cross-database "
         "joins:</p>", "<p>" + u("attached") + "</p>"),
        ("'table'\">tables</a>", "'table'\">" + u("tables_word") + "</a>"),
        ('<h2 id="queries">Queries</h2>', '<h2 id="queries">' + u("queries") + "</h2>"),
        ('<h2 id="tables">Tables</h2>', '<h2 id="tables">' + u("tables") + "</h2>"),
        ("<em> (hidden)</em>", "<em> (" + u("hidden") + ")</em>"),
        ('{% if table.count is none %}Many rows{% else %}{{ "{:,}".format(table.count) }} row{% if table.count == 1 %}'
         "{% else %}s{% endif %}{% endif %}",
         "{% if table.count is none %}" + u("many_rows")
         + '{% else %}{{ "{:,}".format(table.count).replace(",", ".") }} ' + ROWS + "{% endif %}"),
        ("<p>... and <a", "<p>" + u("and") + " <a"),
        (' hidden table{% if hidden_count == 1 %}{% else %}s{% endif %}</a>', " " + u("hidden_tables") + "</a>"),
        ('<h2 id="views">Views</h2>', '<h2 id="views">' + u("views") + "</h2>"),
        ("Download SQLite DB:", u("download_db")),
    ]),
    "_description_source_license.html": ("_description_source_license.html", [
        ("Data license:", u("data_license")),
        ("Data source:", u("data_source")),
        ("About:", u("about")),
    ]),
    "_crumbs.html": ("_crumbs.html", [
        ("{{ item.label }}", "{{ docmine_ui.home if item.label == 'home' else item.label }}"),
    ]),
    "index.html": ("index.html", [
        ('{{ "{:,}".format(database.table_rows_sum) }} rows in {% endif %}{{ database.tables_count }} table'
         "{% if database.tables_count != 1 %}s{% endif %}",
         '{{ "{:,}".format(database.table_rows_sum).replace(",", ".") }} ' + u("rows_in") + " {% endif %}"
         "{{ database.tables_count }} " + u("tables_lower")),
        ('{{ "{:,}".format(database.hidden_table_rows_sum) }} rows in {% endif %}{{ database.hidden_tables_count }} '
         "hidden table{% if database.hidden_tables_count != 1 %}s{% endif -%}",
         '{{ "{:,}".format(database.hidden_table_rows_sum).replace(",", ".") }} ' + u("rows_in") + " {% endif %}"
         "{{ database.hidden_tables_count }} " + u("hidden_tables") + "{{ '' -}}"),
        ('{{ "{:,}".format(database.views_count) }} view{% if database.views_count != 1 %}s{% endif %}',
         '{{ "{:,}".format(database.views_count) }} ' + u("views_lower")),
    ]),
    "base.html": ("base.html", [('class="button-as-link">Log out</button>', 'class="button-as-link">'
                                 + u("log_out") + "</button>")]),
}
HEADER = ("{#- docmine: Datasette %s's %s, its English words replaced by docmine_ui (rules/strings.yaml, ui);"
          " made by docs/datasette_templates.py, do not edit by hand -#}\n")


def main() -> int:
    missing = []
    for name, (copy, replacements) in COPIES.items():
        text = (SOURCE / name).read_text(encoding="utf-8")
        for old, new in replacements:
            if old not in text:
                missing.append(f"{name}: {old!r}")
            text = text.replace(old, new)
        if text.startswith("{% extends"):  # the header after the extends line (which must come first)
            first, _, rest = text.partition("\n")
            text = first + "\n" + HEADER % (datasette.__version__, name) + rest
        else:
            text = HEADER % (datasette.__version__, name) + text
        (TARGET / copy).write_text(text, encoding="utf-8")
    for line in missing:
        print(f"not found (still English): {line}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Policy themes of the Sociale Basis (002 §3: four themes with their sub-themes) and target
groups of group activities."""

import datetime

from django.db import migrations

START = datetime.date(2022, 7, 1)

THEMES = [
    (
        "physical_social",
        "Fysiek en sociaal zelfredzaam",
        "Physically and socially self-reliant",
        [
            ("healthy_lifestyle", "Gezonde leefstijl", "Healthy lifestyle"),
            ("mental_functioning", "Mentaal functioneren", "Mental functioning"),
            ("social_network", "Duurzaam sociaal netwerk", "Lasting social network"),
            ("parenting", "Opvoeden en opgroeien", "Parenting and growing up"),
        ],
    ),
    (
        "practical",
        "Praktisch zelfredzaam",
        "Practically self-reliant",
        [
            ("money_worries", "Leven zonder geldzorgen", "A life free of money worries"),
            (
                "safety",
                "Veiligheid (met aanpak jeugdoverlast)",
                "Safety (incl. youth nuisance approach)",
            ),
            (
                "administration_digital",
                "Administratie en digitale vaardigheden",
                "Administration and digital skills",
            ),
            ("mobility", "Mobiliteit en vervoer", "Mobility and transport"),
            ("making_ends_meet", "Rondkomen", "Making ends meet"),
            (
                "housing",
                "Wonen (klussen, maaltijden, buurtbemiddeling)",
                "Housing (odd jobs, meals, neighbour mediation)",
            ),
        ],
    ),
    (
        "together",
        "Samen zelfredzaam",
        "Self-reliant together",
        [
            ("volunteering", "Vrijwilligerswerk", "Volunteering"),
            ("informal_care", "Mantelzorg", "Informal care"),
            (
                "peer_support",
                "Ervaringsdeskundigheid en lotgenotencontact",
                "Lived experience and peer contact",
            ),
            (
                "initiatives",
                "Bewonersinitiatieven en vrijwilligersorganisaties",
                "Residents' initiatives and volunteer organisations",
            ),
        ],
    ),
    (
        "participation",
        "Meedoen",
        "Participation",
        [
            (
                "meaningful_work",
                "Zinvol werk (Participatieladder)",
                "Meaningful work (Participatieladder)",
            ),
            ("meeting", "Elkaar ontmoeten", "Meeting others"),
            ("belonging", "Erbij horen en ontwikkelen", "Belonging and development"),
        ],
    ),
]

TARGET_GROUPS = [
    ("everyone", "Alle inwoners", "All residents"),
    ("children", "Kinderen (tot 12 jaar)", "Children (under 12)"),
    ("youth", "Jongeren (12 tot 23 jaar)", "Young people (12 to 23)"),
    ("parents", "Ouders", "Parents"),
    ("elderly", "Ouderen", "Older people"),
    ("informal_carers", "Mantelzorgers", "Informal carers"),
    ("vulnerable", "Inwoners in een kwetsbare situatie", "Residents in a vulnerable situation"),
]


def seed(apps, schema_editor):
    CodeList = apps.get_model("reference", "CodeList")
    Code = apps.get_model("reference", "Code")
    themes, _ = CodeList.objects.get_or_create(
        slug="policy_themes",
        defaults={
            "name_nl": "Beleidsthema's Sociale Basis",
            "name_en": "Policy themes of the Sociale Basis",
            "source": "002 §3",
        },
    )
    order = 0
    for code, label_nl, label_en, children in THEMES:
        order += 10
        parent, _ = Code.objects.get_or_create(
            code_list=themes,
            code=code,
            defaults={
                "label_nl": label_nl,
                "label_en": label_en,
                "valid_from": START,
                "sort_order": order,
            },
        )
        for child_code, child_nl, child_en in children:
            order += 10
            Code.objects.get_or_create(
                code_list=themes,
                code=child_code,
                defaults={
                    "label_nl": child_nl,
                    "label_en": child_en,
                    "parent": parent,
                    "valid_from": START,
                    "sort_order": order,
                },
            )
    groups, _ = CodeList.objects.get_or_create(
        slug="target_groups",
        defaults={"name_nl": "Doelgroepen", "name_en": "Target groups", "source": "002 §3, §8.2"},
    )
    for order, (code, label_nl, label_en) in enumerate(TARGET_GROUPS, start=1):
        Code.objects.get_or_create(
            code_list=groups,
            code=code,
            defaults={
                "label_nl": label_nl,
                "label_en": label_en,
                "valid_from": START,
                "sort_order": order * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("reference", "0002_seed_lists")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

"""The first version of the managed reference lists. Administrators edit them afterwards;
codes are retired with an end date, never removed. Sources are recorded per list."""

import datetime

from django.db import migrations

START = datetime.date(2022, 7, 1)

LISTS = [
    (
        "channels",
        "Kanalen",
        "Channels",
        "002 §2.1, §4.3, §7.8",
        [
            ("phone", "Telefoon", "Phone"),
            ("writing", "Schriftelijk", "In writing"),
            ("digital_form", "Digitaal formulier", "Digital form"),
            ("walk_in", "Inloop op een locatie", "Walk-in at a location"),
            ("outreach", "Outreachend in de wijk", "Outreach in the neighbourhood"),
            (
                "referral",
                "Signaal of verwijzing van een partner",
                "Signal or referral from a partner",
            ),
        ],
    ),
    (
        "referrer_types",
        "Soorten verwijzers",
        "Referrer types",
        "002 §2.3, §4.3, §6.7.2, §6.13, §6.14.4",
        [
            ("gp", "Huisarts", "General practitioner"),
            ("housing", "Woningcorporatie", "Housing corporation"),
            ("ggd", "GGD", "Public health service (GGD)"),
            ("cjg", "Centrum voor Jeugd en Gezin", "Youth and family centre (CJG)"),
            ("school", "School", "School"),
            ("police", "Politie", "Police"),
            ("debt_signal", "Vroegsignalering schulden", "Debt early warning"),
            ("municipality", "Gemeente", "Municipality"),
            ("volunteer_org", "Vrijwilligersorganisatie", "Volunteer organisation"),
            ("other", "Anders", "Other"),
        ],
    ),
    (
        "inflow_reasons",
        "Redenen instroom",
        "Reasons for inflow",
        "002 §4.3, §8.2 (geen landelijke standaardlijst: eerste versie, af te stemmen met de gemeente)",
        [
            ("own_request", "Eigen hulpvraag van de inwoner", "The resident's own request"),
            (
                "network_signal",
                "Signaal uit het netwerk van de inwoner",
                "Signal from the resident's network",
            ),
            ("partner_referral", "Verwijzing door een partner", "Referral by a partner"),
            ("debt_signal", "Vroegsignalering schulden", "Debt early warning"),
            ("outreach", "Outreachend contact", "Outreach"),
            ("municipality", "Verzoek van de gemeente", "Request by the municipality"),
            (
                "handover",
                "Overdracht van een andere aanbieder of gemeente",
                "Handover from another provider or municipality",
            ),
            ("crisis", "Acute situatie", "Acute situation"),
        ],
    ),
    (
        "life_domains",
        "Leefgebieden (ZRM 2017)",
        "Life domains (ZRM 2017)",
        "Zelfredzaamheid-Matrix 2017, GGD Amsterdam (domain names only)",
        [
            ("finances", "Financiën", "Finances"),
            ("work_education", "Werk & Opleiding", "Work & education"),
            ("time_use", "Tijdsbesteding", "Use of time"),
            ("housing", "Huisvesting", "Housing"),
            ("domestic_relations", "Huiselijke relaties", "Domestic relations"),
            ("mental_health", "Geestelijke gezondheid", "Mental health"),
            ("physical_health", "Lichamelijke gezondheid", "Physical health"),
            ("substance_use", "Middelengebruik", "Substance use"),
            ("basic_adl", "Basale ADL", "Basic ADL"),
            ("instrumental_adl", "Instrumentele ADL", "Instrumental ADL"),
            ("social_network", "Sociaal netwerk", "Social network"),
            ("participation", "Maatschappelijke participatie", "Social participation"),
            ("justice", "Justitie", "Justice"),
        ],
    ),
    (
        "outflow_reasons",
        "Redenen uitstroom",
        "Reasons for outflow",
        "iWmo 3.2 WMO588 Reden beëindiging",
        [
            ("02", "Overlijden", "Death"),
            ("19", "Levering volgens plan beëindigd", "Support ended according to plan"),
            ("20", "Tijdelijk beëindigd", "Temporarily ended"),
            ("21", "Eenzijdig door cliënt", "Ended unilaterally by the client"),
            ("22", "Eenzijdig door aanbieder", "Ended unilaterally by the provider"),
            ("23", "In overeenstemming voortijdig", "Ended early by agreement"),
            ("31", "Verhuizing naar andere gemeente", "Moved to another municipality"),
            ("36", "Geïnitieerd door gemeente", "Initiated by the municipality"),
            ("37", "In verband met wijzigingsverzoek", "Because of a change request"),
            ("38", "Overstap naar andere aanbieder", "Switch to another provider"),
            ("39", "Uitstroom naar ander domein", "Outflow to another domain"),
        ],
    ),
    (
        "out_of_scope_provisions",
        "Voorzieningen buiten de opdracht",
        "Provisions outside the contract",
        "002 §6",
        [
            (
                "sensory",
                "Specialistische zorg bij zintuiglijke beperking",
                "Specialist care for sensory impairment",
            ),
            ("sheltered_housing", "Beschermd Wonen", "Sheltered housing (Beschermd Wonen)"),
            ("shelter", "Maatschappelijke Opvang", "Social shelter (Maatschappelijke Opvang)"),
            ("womens_shelter", "Vrouwenopvang", "Women's shelter"),
            (
                "integration",
                "Inburgering statushouders (eerste jaar)",
                "Civic integration of status holders (first year)",
            ),
            ("youth_care", "Geïndiceerde jeugdhulp (via CJG)", "Indicated youth care (via CJG)"),
            (
                "other_wmo",
                "Andere Wmo-voorzieningen (huishoudelijke hulp, kortdurend verblijf)",
                "Other Wmo provisions (household help, short stay)",
            ),
            ("ggz", "GGZ", "Mental health care (GGZ)"),
            ("addiction", "Verslavingszorg", "Addiction care"),
            ("district_nursing", "Wijkverpleging", "District nursing"),
            ("wlz", "Wlz (via CIZ)", "Long-term care, Wlz (via CIZ)"),
            ("client_support", "Onafhankelijke cliëntondersteuning", "Independent client support"),
            ("debt_settlement", "Schuldsanering en nazorg", "Debt settlement and after-care"),
            (
                "job_coaching",
                "Jobcoaching (Participatiebedrijf)",
                "Job coaching (Participatiebedrijf)",
            ),
            ("crisis_service", "Crisisdienst", "Crisis service"),
            ("meldpunt", "Meldpunt Zorg en Overlast", "Care and nuisance reporting point"),
            ("veilig_thuis", "Veilig Thuis", "Veilig Thuis (domestic violence and child abuse)"),
            ("compulsory_care", "Verplichte zorg (WvGGZ, Wzd)", "Compulsory care (WvGGZ, Wzd)"),
        ],
    ),
]


def seed(apps, schema_editor):
    CodeList = apps.get_model("reference", "CodeList")
    Code = apps.get_model("reference", "Code")
    for slug, name_nl, name_en, source, codes in LISTS:
        code_list, _ = CodeList.objects.get_or_create(
            slug=slug, defaults={"name_nl": name_nl, "name_en": name_en, "source": source}
        )
        for order, (code, label_nl, label_en) in enumerate(codes, start=1):
            Code.objects.get_or_create(
                code_list=code_list,
                code=code,
                defaults={
                    "label_nl": label_nl,
                    "label_en": label_en,
                    "valid_from": START,
                    "sort_order": order * 10,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("reference", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

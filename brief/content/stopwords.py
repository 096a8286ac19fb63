"""Stop words: words too common to say what an article is about, by language (related-article
scoring in brief.site, and the editorial checks of captions and headlines in brief.content)."""

from __future__ import annotations

_EN = """
a about above after again against all almost also although always am among an and another any anyone
anything are around as at away back be became because become becomes been before being below between
both but by can cannot could did do does doing done down during each either else enough even ever every
few for from further get gets given go going got had has have having he her here hers herself him
himself his how however i if in into is it its itself just know last least less like likely made make
makes many may me might more most mostly much must my myself near need needs neither never new next no
nor not now of off often on once one only onto or other others otherwise our ours ourselves out over
own per perhaps put rather really said same say says see seem seems several shall she should show
since so some something still such take than that the their theirs them themselves then there these
they thing things this those though three through thus to too two under until up upon us use used
using very via was way we well were what whatever when where whether which while who whom whose why
will with within without would year years yet you your yours yourself yourselves
also amid among per via com www http https html
"""

_DE = """
aber alle allem allen aller alles als also am an ander andere anderen auch auf aus bei bin bis bist
da damit dann das dass dein deine dem den denn der des dessen dich die dies diese diesem diesen dieser
dir doch dort du durch ein eine einem einen einer eines er es etwas euch euer für gegen gewesen hab
habe haben hat hatte hier hin hinter ich ihm ihn ihnen ihr ihre im in ist jede jedem jeden jeder
jedes jetzt kann kein keine können machen man manche mehr mein mich mir mit muss nach nicht nichts
noch nun nur ob oder ohne sehr sein seine sich sie sind so solche soll sondern sonst über um und uns
unser unter viel vom von vor war waren warum was weil welche wenn wer werde werden wie wieder will
wir wird wo zu zum zur zwar zwischen
"""

_FR = """
ainsi alors au aucun aussi autre aux avec avoir bon car ce cela celle celles celui ces cet cette ceux
chaque comme comment dans des donc dont du elle elles en encore entre est et étaient était été être
eux fait faire font hors ici il ils je jusqu la le les leur leurs lui mais même mes moins mon ne ni
nos notre nous ont ou où par parce pas peu peut plus pour pourquoi quand que quel quelle quelles
quels qui sa sans se selon ses si sien son sont sous sur ta tandis tellement tels tes ton tous tout
toute toutes très tu une vos votre vous
"""

_ES = """
al algo algunas algunos ante antes como con contra cual cuando de del desde donde durante el ella
ellas ellos en entre era eran es esa esas ese eso esos esta estaba estado estas este esto estos fue
fueron ha había han hasta hay la las le les lo los más mi mientras muy nada ni no nos nosotros o otra
otras otro otros para pero poco por porque que quien se sea según ser si sin sobre son su sus también
tanto te tiene tienen todo todos tu un una uno unos y ya
"""

STOP_WORDS: dict[str, frozenset[str]] = {
    language: frozenset(words.split()) for language, words in (("en", _EN), ("de", _DE), ("fr", _FR), ("es", _ES))
}


def stop_words(language: str) -> frozenset[str]:
    """Stop words of a language tag (``en-GB`` → English); empty for a language without a list."""
    return STOP_WORDS.get(language.split("-")[0].lower(), frozenset())

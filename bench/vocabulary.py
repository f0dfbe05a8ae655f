"""Words of the synthetic documents, most frequent first (the rank sets the Zipf weight).

Function words lead, as in any English text; then the words of diplomatic and military
correspondence in a rough order of frequency; the long tail is invented from SYLLABLES by the
generator. PHRASES are set into sentences whole, so phrase queries have something to find.
"""

from __future__ import annotations

_FUNCTION_TEXT = """
the of and to in that a is for on with by as be this it we our will not are from have has
which at all their was his an they should would been also these must there its or but if who
more into than only can may any such other them he were had so no about under after what
now before one two three between against most very further over
"""

_CONTENT_TEXT = """
government comrade troops question situation proposal army forces enemy front side party
committee central request position talks meeting decision report information agreement soviet
chinese korean american delegation minister ambassador embassy telegram reply answer letter
military political economic leadership command people country war peace line north south
question attack defence offensive divisions units aid assistance supply supplies transport
ammunition artillery aviation air naval fleet ships railway bridges roads front-line positions
conference negotiations armistice ceasefire prisoners exchange repatriation commission
security council resolution assembly united nations representative delegate statement note
memorandum conversation instructions directive order orders plan plans operation operations
volunteers advisers adviser advise advised advisory specialists experts officers soldiers
regiments battalion brigade corps headquarters staff general marshal commander chief deputy
secretary premier chairman president foreign affairs ministry office department bureau
intelligence reports estimate estimates losses casualties wounded killed captured retreat
advance crossing river coast island harbour port airfield airfields bombing raid raids
reconnaissance mission missions treaty alliance friendship mutual loan credit credits trade
goods grain oil coal steel machinery equipment tanks guns aircraft fighters bombers pilots
training schools reserves mobilization recruitment morale discipline propaganda press radio
broadcast newspaper article speech declaration communique protest warning threat danger risk
consent approval objection refusal demand demands concessions terms conditions guarantee
guarantees border frontier territory zone sector area region province city capital villages
population refugees food shortage shortages winter summer spring autumn weather roads season
month week day days months weeks year years time period moment stage phase beginning end
result results success failure difficulties difficulty problem problems measures steps action
actions forces reinforcement reinforcements replacement replacements strength weakness
superiority initiative pressure resistance counterattack encirclement breakthrough withdrawal
evacuation occupation liberation unification independence sovereignty recognition
diplomatic relations consul consulate legation mission chargé attaché counsellor
interpreter translation cipher ciphered code codes courier pouch channel wire secret urgent
confidential copy copies archive file files document documents record minutes text draft
drafts version amendment amendments clause article articles paragraph point points item
items agenda session sessions plenary vote votes voting majority minority veto abstention
support opposition criticism approve approved reject rejected accept accepted consider
considered discuss discussed inform informed request requested propose proposed agree agreed
insist insisted believe believed expect expected intend intended prepare prepared arrive
arrived depart departed send sent receive received transmit transmitted deliver delivered
organize organized strengthen strengthened reduce reduced increase increased continue
continued begin begun complete completed fulfil fulfilled report reported confirm confirmed
deny denied explain explained emphasize emphasized warn warned ask asked answer answered
necessary possible important serious difficult urgent immediate final temporary permanent
general special full partial direct indirect official unofficial private public joint
separate common new old large small heavy light strong weak quick slow early late
western eastern northern southern central local national international foreign domestic
communist nationalist imperialist socialist democratic revolutionary reactionary neutral
hostile friendly fraternal comradely sincere frank cordial firm resolute cautious careful
"""
FUNCTION_WORDS = tuple(_FUNCTION_TEXT.split())
CONTENT_WORDS = tuple(_CONTENT_TEXT.split())

# Set into sentences whole; a few are common, most are rare (Zipf over this order).
PHRASES = (
    "air cover", "anti-aircraft artillery", "railway bridges", "volunteer divisions",
    "armistice negotiations", "prisoners of war", "demarcation line", "military advisers",
    "economic aid", "Central Committee", "peaceful settlement", "five-year plan",
    "neutral nations", "front-line units", "supply lines", "air divisions",
    "river crossings", "naval blockade", "general offensive", "repatriation of prisoners",
    "mutual assistance", "peaceful coexistence", "nuclear weapons", "trade agreement",
    "frontier incident", "war of attrition", "winter clothing", "motor transport",
    "fighter cover", "strategic reserve", "political conference", "joint communique",
    "technical assistance", "long-term credit", "border commission", "customs union",
    "atomic weapons", "summit meeting", "test ban", "arms control",
)

# Invented words are two to four of these: they read as names of rivers, villages and units.
SYLLABLES = (
    "ka", "ko", "ku", "ki", "ta", "to", "tu", "ti", "na", "no", "ni", "ma", "mo", "mi", "ra",
    "ro", "ri", "sa", "so", "si", "va", "vo", "vi", "ba", "bo", "da", "do", "ga", "go", "la",
    "lo", "li", "pa", "po", "sha", "sho", "cha", "chu", "zha", "zhe", "kha", "khe", "yan",
    "yun", "lin", "min", "han", "dong", "sen", "ter", "vel", "mar", "nov", "sk", "ov", "in",
    "an", "en", "ul", "ar", "ek", "ya", "yu", "ze", "ge", "de", "be", "ne", "re",
)

"""The parts personas are composed from: occupations x life contexts x goals (71 x 31 x 61 = 134,261 personas).

Goals are phrased as something a person would ask an assistant with access to real systems to do, across many
service domains, so that ToolSetGen gets a concrete need and not just a character sketch.
"""

OCCUPATIONS = (
    "nurse", "high-school chemistry teacher", "long-haul truck driver", "freelance graphic designer",
    "software engineer", "retired postal worker", "pharmacist", "dairy farmer", "graduate student in linguistics",
    "restaurant owner", "paramedic", "real-estate agent", "wedding photographer", "civil engineer",
    "primary-school teacher", "hotel night manager", "accountant", "electrician", "yoga instructor",
    "small-business owner running a bakery", "journalist", "veterinary technician", "airline pilot",
    "social worker", "data analyst", "construction site foreman", "musician in a touring band", "librarian",
    "dental hygienist", "marketing manager", "warehouse supervisor", "physiotherapist", "lawyer",
    "stay-at-home parent", "university lecturer", "barista", "mechanical engineer", "museum curator",
    "firefighter", "insurance claims adjuster", "translator", "personal trainer", "city bus driver",
    "event planner", "IT help-desk technician", "medical resident", "florist", "architect",
    "retired army officer", "customer-support agent", "pastry chef", "research scientist", "tailor",
    "plumber", "HR coordinator", "podcast producer", "school counsellor", "fisherman", "shop assistant",
    "startup founder", "court stenographer", "landscape gardener", "flight attendant", "bookkeeper",
    "video-game tester", "environmental consultant", "optometrist", "carpenter", "sommelier",
    "police dispatcher", "college freshman",
)

CONTEXTS = (
    "who recently moved to a new city", "working night shifts", "with three young children",
    "on a tight monthly budget", "who travels every week for work", "caring for an elderly parent",
    "recovering from a knee operation", "who is hard of hearing and prefers written messages",
    "living in a small coastal town", "who just started a new job", "planning a wedding",
    "who is not comfortable with technology", "juggling two part-time jobs", "preparing to move abroad",
    "who runs a side business from home", "with a severe peanut allergy", "studying for a professional exam",
    "who shares an apartment with two roommates", "who recently retired", "expecting their first baby",
    "who speaks English as a second language", "living with a chronic illness", "renovating an old house",
    "who volunteers at an animal shelter every weekend", "managing a household of five", "in the middle of a divorce",
    "who commutes by bike", "training for a marathon", "who just bought their first car",
    "taking care of a friend's dog for a month", "who works remotely across time zones",
)

GOALS = (
    "get a refund for an online order that arrived damaged", "dispute a charge they do not recognise on a credit card",
    "reschedule a flight because of a family emergency", "book a follow-up appointment with a specialist",
    "change the delivery address of a parcel already in transit", "cancel a gym membership that keeps renewing",
    "transfer money to a relative abroad", "set up a payment plan for an overdue utility bill",
    "reset access to a locked work account", "report a broken laptop and get a loan device",
    "request time off for a medical procedure", "find out why a pay cheque was lower than expected",
    "renew a prescription before running out", "move a hotel booking to different dates",
    "return a pair of shoes that do not fit", "upgrade an internet plan after moving in",
    "report a water leak to the building's maintenance team", "claim travel insurance for a cancelled trip",
    "file a warranty claim for a faulty washing machine", "replace a lost debit card",
    "enrol a child in an after-school programme", "book a table for a large group with dietary needs",
    "get a copy of a medical test result", "update the beneficiary on a life-insurance policy",
    "recover a package marked delivered but never received", "switch to a cheaper mobile phone plan",
    "book a car service appointment", "change a child's school bus route", "apply for a parking permit",
    "report a lost item on a train", "split a shared household bill among roommates",
    "increase the credit limit on a card before a big purchase", "pause a meal-kit subscription while travelling",
    "book a rental car for a road trip", "add a new employee to the payroll system",
    "get a replacement for an expired passport", "order replacement parts for a kitchen appliance",
    "register a new pet with a veterinary clinic", "check the status of a tax refund",
    "book physiotherapy sessions covered by insurance", "set up automatic savings transfers",
    "report a billing error on a hospital invoice", "arrange a moving truck and storage unit",
    "get a software licence reassigned to a new laptop", "change the seat on an upcoming flight",
    "order groceries for delivery with substitutions they approve", "book a venue for a birthday party",
    "request a refund for a concert that was cancelled", "update their address with their bank",
    "schedule a home internet technician visit", "apply for a library card and reserve books",
    "get reimbursed for a work trip", "book a vaccination appointment for a trip abroad",
    "appeal a parking fine", "reorder contact lenses with an updated prescription",
    "transfer a phone number to a new carrier", "book a cleaning service before moving out",
    "report a security incident on a work laptop", "enrol in an employer's health plan",
    "find and book a tutor for a teenager", "exchange a gift for a different size",
)

"""Retail domain tasks for the bundled pack (hand-written; see ``synthagent_env/packs/build.py``)."""

TASKS = [
    {
        "id": "retail-damaged-blender-return",
        "domain": "retail",
        "persona": "A busy nurse who shops online and wants problems fixed with as little back-and-forth as possible.",
        "instruction": "My new blender arrived broken, can you sort out a return for me?",
        "hidden_context": (
            "You ordered a blender (SKU BLD-220) in order A-48213. The glass jug arrived cracked. "
            "You want the money back as store credit because the card you paid with has been cancelled."
        ),
        "hidden_facts": [
            {
                "key": "order_id",
                "value": "A-48213",
                "statement": "The order number is A-48213.",
                "keywords": ["order number", "order id", "order"],
            },
            {
                "key": "refund_method",
                "value": "store credit",
                "statement": "Store credit please, the card I paid with was cancelled.",
                "keywords": ["refund", "store credit", "money back", "how would you like"],
            },
        ],
        "tools": [
            {
                "name": "get_order",
                "description": "Look up an order by its id and list its items.",
                "parameters": {
                    "type": "object",
                    "properties": {"order_id": {"type": "string", "description": "Order id, e.g. A-12345"}},
                    "required": ["order_id"],
                    "additionalProperties": False,
                },
                "output_description": "The order's date, status and items (sku, name, price).",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "order_id": {"type": "string"},
                        "status": {"type": "string", "enum": ["delivered", "shipped", "processing"]},
                        "items": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {"sku": {"type": "string"}, "name": {"type": "string"}, "price": {"type": "number"}},
                            },
                        },
                    },
                },
            },
            {
                "name": "check_return_eligibility",
                "description": "Check whether an item of an order can still be returned.",
                "parameters": {
                    "type": "object",
                    "properties": {"order_id": {"type": "string"}, "sku": {"type": "string"}},
                    "required": ["order_id", "sku"],
                    "additionalProperties": False,
                },
                "output_description": "Whether the item is eligible and the allowed refund methods.",
            },
            {
                "name": "create_return",
                "description": "Open a return for one item and choose how the customer is refunded.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "order_id": {"type": "string"},
                        "sku": {"type": "string"},
                        "reason": {"type": "string", "enum": ["damaged", "wrong_item", "not_needed"]},
                        "refund_method": {"type": "string", "enum": ["original_payment", "store_credit"]},
                    },
                    "required": ["order_id", "sku", "reason", "refund_method"],
                    "additionalProperties": False,
                },
                "output_description": "The return id and the shipping label URL.",
            },
            {
                "name": "subscribe_newsletter",
                "description": "Sign a customer up for the weekly deals newsletter.",
                "parameters": {
                    "type": "object",
                    "properties": {"email": {"type": "string"}},
                    "required": ["email"],
                    "additionalProperties": False,
                },
                "output_description": "Confirmation of the subscription.",
                "distractor": True,
            },
        ],
        "policy": ["create_return must NOT use refund_method original_payment when the customer says the card is cancelled."],
        "workflow": [
            "Ask the customer for the order number.",
            "Look up the order to find the blender's SKU.",
            "Check that the blender can still be returned.",
            "Ask how the customer wants to be refunded.",
            "Create the return as damaged with the chosen refund method.",
            "Tell the customer the return id.",
        ],
        "rubric": {
            "sub_goals": [
                {"id": "looked_up_order", "description": "Looked up order A-48213.",
                 "check": {"kind": "tool_call", "tool": "get_order", "arguments": {"order_id": "A-48213"}}},
                {"id": "checked_eligibility", "description": "Checked the blender's return eligibility.",
                 "check": {"kind": "tool_call", "tool": "check_return_eligibility", "arguments": {"order_id": "A-48213", "sku": "BLD-220"}}},
                {"id": "created_return", "description": "Created a damaged-item return refunded as store credit.",
                 "check": {"kind": "tool_call", "tool": "create_return",
                           "arguments": {"order_id": "A-48213", "sku": "BLD-220", "reason": "damaged", "refund_method": "store_credit"}}},
                {"id": "told_return_id", "description": "Gave the customer the return id.",
                 "check": {"kind": "answer_contains", "values": ["RMA-7781"]}},
            ],
            "required_interactions": [
                {"id": "asked_order_id", "description": "Asked for the order number before looking it up.",
                 "check": {"kind": "fact_revealed", "fact": "order_id", "before_tool": "get_order"}},
                {"id": "asked_refund_method", "description": "Asked how to refund before creating the return.",
                 "check": {"kind": "fact_revealed", "fact": "refund_method", "before_tool": "create_return"}},
            ],
            "forbidden": [
                {"id": "refund_to_cancelled_card", "description": "Refunded to the cancelled card.",
                 "check": {"kind": "tool_call", "tool": "create_return", "arguments": {"refund_method": "original_payment"}}},
            ],
        },
        "seed_mapping": [
            {"tool": "get_order", "arguments": {"order_id": "A-48213"},
             "response": {"order_id": "A-48213", "status": "delivered",
                          "items": [{"sku": "BLD-220", "name": "PowerBlend 220 blender", "price": 89.99}]}},
            {"tool": "check_return_eligibility", "arguments": {"order_id": "A-48213", "sku": "BLD-220"},
             "response": {"eligible": True, "refund_methods": ["original_payment", "store_credit"]}},
            {"tool": "create_return",
             "arguments": {"order_id": "A-48213", "sku": "BLD-220", "reason": "damaged", "refund_method": "store_credit"},
             "response": {"return_id": "RMA-7781", "label_url": "https://returns.example.com/RMA-7781.pdf"}},
        ],
        "reference_solution": [
            {"kind": "ask_user", "message": "Sorry to hear that! What is your order number?"},
            {"kind": "tool_call", "tool": "get_order", "arguments": {"order_id": "A-48213"}},
            {"kind": "tool_call", "tool": "check_return_eligibility", "arguments": {"order_id": "A-48213", "sku": "BLD-220"}},
            {"kind": "ask_user", "message": "It can be returned. Would you like the refund to your card or as store credit?"},
            {"kind": "tool_call", "tool": "create_return",
             "arguments": {"order_id": "A-48213", "sku": "BLD-220", "reason": "damaged", "refund_method": "store_credit"}},
            {"kind": "answer", "content": "Your return RMA-7781 is open; the label is at https://returns.example.com/RMA-7781.pdf and you will get store credit."},
        ],
    },
    {
        "id": "retail-sneaker-size-exchange",
        "domain": "retail",
        "persona": "A college runner training for a half marathon who answers in short, quick messages.",
        "instruction": "The running shoes I ordered don't fit, can I swap them for another size?",
        "hidden_context": (
            "You bought Stride Runner 3 running shoes in grey, size 9.5, with the account email maya.lin@example.com. "
            "They are too small; you need a size 10.5. If grey is not available in 10.5, black is fine. "
            "You would rather not mail the old pair back and will ask whether you can just keep them."
        ),
        "hidden_facts": [
            {
                "key": "account_email",
                "value": "maya.lin@example.com",
                "statement": "My account email is maya.lin@example.com.",
                "keywords": ["email", "e-mail"],
            },
            {
                "key": "new_size",
                "value": "10.5",
                "statement": "I need a size 10.5 instead.",
                "keywords": ["size"],
            },
            {
                "key": "fallback_color",
                "value": "black",
                "statement": "If grey is sold out, black is fine. Can I just keep the old pair instead of mailing them back?",
                "keywords": ["color", "colour", "black"],
            },
        ],
        "tools": [
            {
                "name": "find_orders_by_email",
                "description": "List a customer's recent orders using the email address on their account.",
                "parameters": {
                    "type": "object",
                    "properties": {"email": {"type": "string", "format": "email", "description": "Account email address."}},
                    "required": ["email"],
                    "additionalProperties": False,
                },
                "output_description": "The customer's recent orders with their status and items (sku, product_id, name, price).",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "orders": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "order_id": {"type": "string"},
                                    "status": {"type": "string"},
                                    "delivered_on": {"type": "string"},
                                    "items": {"type": "array", "items": {"type": "object"}},
                                },
                            },
                        }
                    },
                },
            },
            {
                "name": "check_variant_stock",
                "description": "Show the stock of every color of a product in one size.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "product_id": {"type": "string", "description": "Product id, e.g. SR3."},
                        "size": {"type": "string", "pattern": "^[0-9]{1,2}(\\.5)?$", "description": "US shoe size, e.g. 9 or 9.5."},
                    },
                    "required": ["product_id", "size"],
                    "additionalProperties": False,
                },
                "output_description": "Each color variant in that size with its sku and units in stock.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "product_id": {"type": "string"},
                        "size": {"type": "string"},
                        "variants": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {"sku": {"type": "string"}, "color": {"type": "string"}, "in_stock": {"type": "integer"}},
                            },
                        },
                    },
                },
            },
            {
                "name": "create_exchange",
                "description": "Exchange an item of an order for another variant of the same product; ships the replacement and issues a return label.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "order_id": {"type": "string"},
                        "original_sku": {"type": "string"},
                        "new_sku": {"type": "string"},
                        "waive_return": {"type": "boolean", "description": "If true, the customer keeps the original item."},
                    },
                    "required": ["order_id", "original_sku", "new_sku", "waive_return"],
                    "additionalProperties": False,
                },
                "output_description": "The exchange id, the prepaid return label URL and when the replacement ships.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "exchange_id": {"type": "string"},
                        "return_label_url": {"type": "string"},
                        "replacement_ships_in_days": {"type": "integer"},
                    },
                },
            },
            {
                "name": "apply_promo_code",
                "description": "Apply a promotional code to an order that has not shipped yet.",
                "parameters": {
                    "type": "object",
                    "properties": {"order_id": {"type": "string"}, "code": {"type": "string"}},
                    "required": ["order_id", "code"],
                    "additionalProperties": False,
                },
                "output_description": "Whether the code was accepted and the new order total.",
                "distractor": True,
            },
            {
                "name": "write_product_review",
                "description": "Post a star rating and review for a purchased product.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "sku": {"type": "string"},
                        "rating": {"type": "integer", "minimum": 1, "maximum": 5},
                        "text": {"type": "string"},
                    },
                    "required": ["sku", "rating", "text"],
                    "additionalProperties": False,
                },
                "output_description": "The id of the published review.",
                "distractor": True,
            },
        ],
        "policy": [
            "create_exchange must NOT set waive_return to true: the original item always has to be sent back with the prepaid label.",
            "Only a variant that check_variant_stock reports as in stock may be sent as a replacement.",
        ],
        "workflow": [
            "Ask for the email on the account and find the shoe order.",
            "Ask which size the customer needs.",
            "Check stock of that size for the same product.",
            "If the original color is sold out, ask which other color is acceptable.",
            "Create the exchange for an in-stock variant, with the original pair returned.",
            "Give the customer the exchange id and the return label.",
        ],
        "rubric": {
            "sub_goals": [
                {"id": "found_order", "description": "Found the customer's orders by email.",
                 "check": {"kind": "tool_call", "tool": "find_orders_by_email", "arguments": {"email": "maya.lin@example.com"}}},
                {"id": "checked_stock", "description": "Checked stock of the Stride Runner 3 in size 10.5.",
                 "check": {"kind": "tool_call", "tool": "check_variant_stock", "arguments": {"product_id": "SR3", "size": "10.5"}}},
                {"id": "created_exchange", "description": "Exchanged the grey 9.5 for the in-stock black 10.5 with the original returned.",
                 "check": {"kind": "tool_call", "tool": "create_exchange",
                           "arguments": {"order_id": "W-55102", "original_sku": "SR3-GRY-095", "new_sku": "SR3-BLK-105", "waive_return": False}}},
                {"id": "told_exchange_id", "description": "Gave the customer the exchange id.",
                 "check": {"kind": "answer_contains", "values": ["EXC-30917"]}},
            ],
            "required_interactions": [
                {"id": "asked_email", "description": "Asked for the account email before searching orders.",
                 "check": {"kind": "fact_revealed", "fact": "account_email", "before_tool": "find_orders_by_email"}},
                {"id": "asked_size", "description": "Asked which size is needed before checking stock.",
                 "check": {"kind": "fact_revealed", "fact": "new_size", "before_tool": "check_variant_stock"}},
                {"id": "asked_color", "description": "Asked which color is acceptable before creating the exchange.",
                 "check": {"kind": "fact_revealed", "fact": "fallback_color", "before_tool": "create_exchange"}},
            ],
            "forbidden": [
                {"id": "waived_return", "description": "Let the customer keep the original pair.",
                 "check": {"kind": "tool_call", "tool": "create_exchange", "arguments": {"waive_return": True}}},
                {"id": "sold_out_replacement", "description": "Exchanged for the sold-out grey 10.5.",
                 "check": {"kind": "tool_call", "tool": "create_exchange", "arguments": {"new_sku": "SR3-GRY-105"}}},
            ],
        },
        "seed_mapping": [
            {"tool": "find_orders_by_email", "arguments": {"email": "maya.lin@example.com"},
             "response": {"orders": [{"order_id": "W-55102", "status": "delivered", "delivered_on": "2025-05-28",
                                      "items": [{"sku": "SR3-GRY-095", "product_id": "SR3",
                                                 "name": "Stride Runner 3 - Grey - US 9.5", "price": 119.0}]}]}},
            {"tool": "check_variant_stock", "arguments": {"product_id": "SR3", "size": "10.5"},
             "response": {"product_id": "SR3", "size": "10.5",
                          "variants": [{"sku": "SR3-GRY-105", "color": "grey", "in_stock": 0},
                                       {"sku": "SR3-BLK-105", "color": "black", "in_stock": 14},
                                       {"sku": "SR3-BLU-105", "color": "blue", "in_stock": 3}]}},
            {"tool": "create_exchange",
             "arguments": {"order_id": "W-55102", "original_sku": "SR3-GRY-095", "new_sku": "SR3-BLK-105", "waive_return": False},
             "response": {"exchange_id": "EXC-30917", "return_label_url": "https://returns.example.com/EXC-30917.pdf",
                          "replacement_ships_in_days": 2}},
        ],
        "reference_solution": [
            {"kind": "ask_user", "message": "Happy to help with an exchange. What email address is on your account?"},
            {"kind": "tool_call", "tool": "find_orders_by_email", "arguments": {"email": "maya.lin@example.com"}},
            {"kind": "ask_user", "message": "I found order W-55102 with the Stride Runner 3 in grey, US 9.5. Which size do you need instead?"},
            {"kind": "tool_call", "tool": "check_variant_stock", "arguments": {"product_id": "SR3", "size": "10.5"}},
            {"kind": "ask_user", "message": "Grey is sold out in 10.5, but black (14 left) and blue are in stock. Would another color work for you?"},
            {"kind": "tool_call", "tool": "create_exchange",
             "arguments": {"order_id": "W-55102", "original_sku": "SR3-GRY-095", "new_sku": "SR3-BLK-105", "waive_return": False}},
            {"kind": "answer", "content": (
                "Your exchange EXC-30917 is set up: a black Stride Runner 3 in US 10.5 ships within 2 days. "
                "The grey pair does need to come back; please use the prepaid label at https://returns.example.com/EXC-30917.pdf."
            )},
        ],
    },
    {
        "id": "retail-partial-order-cancel",
        "domain": "retail",
        "persona": "A retired schoolteacher buying gadgets for her grandchildren; polite, but easily confused by jargon.",
        "instruction": "I ordered too many things by mistake, can you cancel some of them before they ship?",
        "hidden_context": (
            "Your order number is E-20931 and the billing ZIP code is 44107. It has a tablet, a stylus, a silicone phone case "
            "and a car charger. You want to cancel the phone case and the car charger and keep the tablet and the stylus. "
            "You ordered the extra items by mistake."
        ),
        "hidden_facts": [
            {
                "key": "order_id",
                "value": "E-20931",
                "statement": "The order number is E-20931.",
                "keywords": ["order number", "order id", "order #"],
            },
            {
                "key": "billing_zip",
                "value": "44107",
                "statement": "The billing ZIP code is 44107.",
                "keywords": ["zip", "postal code", "billing"],
            },
            {
                "key": "items_to_cancel",
                "value": "phone case",
                "statement": "Please cancel the phone case and the car charger. I'm keeping the tablet and the stylus.",
                "keywords": ["which items", "which ones", "which item", "what would you like to cancel"],
            },
        ],
        "tools": [
            {
                "name": "get_order_details",
                "description": "Look up an order; the billing ZIP code must match for the details to be shown.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "order_id": {"type": "string", "description": "Order id, e.g. E-12345."},
                        "billing_zip": {"type": "string", "pattern": "^[0-9]{5}$"},
                    },
                    "required": ["order_id", "billing_zip"],
                    "additionalProperties": False,
                },
                "output_description": "The order's line items, each with line_id, name, price, fulfilment status and a tracking number once shipped.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "order_id": {"type": "string"},
                        "lines": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "line_id": {"type": "string"},
                                    "name": {"type": "string"},
                                    "price": {"type": "number"},
                                    "status": {"type": "string", "enum": ["processing", "shipped", "delivered", "cancelled"]},
                                    "tracking_number": {"type": ["string", "null"]},
                                },
                            },
                        },
                    },
                },
            },
            {
                "name": "cancel_order_items",
                "description": "Cancel one or more line items of an order that have not shipped yet and refund them.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "order_id": {"type": "string"},
                        "line_ids": {"type": "array", "items": {"type": "string", "pattern": "^LN-[0-9]+$"}, "minItems": 1},
                        "reason": {"type": "string", "enum": ["ordered_by_mistake", "found_cheaper", "arrives_too_late", "other"]},
                    },
                    "required": ["order_id", "line_ids", "reason"],
                    "additionalProperties": False,
                },
                "output_description": "The cancellation id, the amount refunded and where the refund goes.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "cancellation_id": {"type": "string"},
                        "refund_amount": {"type": "number"},
                        "refund_to": {"type": "string"},
                        "refund_eta_days": {"type": "integer"},
                    },
                },
            },
            {
                "name": "get_shipment_tracking",
                "description": "Track a parcel by its tracking number.",
                "parameters": {
                    "type": "object",
                    "properties": {"tracking_number": {"type": "string"}},
                    "required": ["tracking_number"],
                    "additionalProperties": False,
                },
                "output_description": "The carrier, the parcel's status and its estimated delivery date.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "carrier": {"type": "string"},
                        "status": {"type": "string"},
                        "estimated_delivery": {"type": "string"},
                    },
                },
            },
            {
                "name": "add_gift_wrap",
                "description": "Add gift wrapping and a gift note to a line item that has not shipped.",
                "parameters": {
                    "type": "object",
                    "properties": {"order_id": {"type": "string"}, "line_id": {"type": "string"}, "note": {"type": "string"}},
                    "required": ["order_id", "line_id"],
                    "additionalProperties": False,
                },
                "output_description": "Confirmation and the gift-wrap charge.",
                "distractor": True,
            },
        ],
        "policy": [
            "cancel_order_items must NOT include items whose status is shipped; a shipped item can only be returned after it is delivered.",
        ],
        "workflow": [
            "Ask for the order number and billing ZIP code.",
            "Look up the order and its items.",
            "Ask which items the customer wants to cancel.",
            "Cancel the items that have not shipped yet.",
            "Track the parcel of any requested item that already shipped and explain it must be returned after delivery.",
            "Report the cancellation id, the refund and the delivery date.",
        ],
        "rubric": {
            "sub_goals": [
                {"id": "looked_up_order", "description": "Looked up order E-20931 with the billing ZIP.",
                 "check": {"kind": "tool_call", "tool": "get_order_details", "arguments": {"order_id": "E-20931", "billing_zip": "44107"}}},
                {"id": "cancelled_phone_case", "description": "Cancelled the unshipped phone case line as ordered by mistake.",
                 "check": {"kind": "tool_call", "tool": "cancel_order_items",
                           "arguments": {"order_id": "E-20931", "line_ids": {"$contains": "LN-3"}, "reason": "ordered_by_mistake"}}},
                {"id": "tracked_charger", "description": "Tracked the already-shipped car charger.",
                 "check": {"kind": "tool_call", "tool": "get_shipment_tracking", "arguments": {"tracking_number": "1Z84F0A90312"}}},
                {"id": "told_cancellation", "description": "Gave the cancellation id and the charger's delivery date.",
                 "check": {"kind": "answer_contains", "values": ["CN-66120", "2025-06-11"]}},
            ],
            "required_interactions": [
                {"id": "asked_order_id", "description": "Asked for the order number before looking it up.",
                 "check": {"kind": "fact_revealed", "fact": "order_id", "before_tool": "get_order_details"}},
                {"id": "asked_zip", "description": "Asked for the billing ZIP code before looking up the order.",
                 "check": {"kind": "fact_revealed", "fact": "billing_zip", "before_tool": "get_order_details"}},
                {"id": "asked_items", "description": "Asked which items to cancel before cancelling anything.",
                 "check": {"kind": "fact_revealed", "fact": "items_to_cancel", "before_tool": "cancel_order_items"}},
            ],
            "forbidden": [
                {"id": "cancelled_shipped_item", "description": "Tried to cancel the car charger, which had already shipped.",
                 "check": {"kind": "tool_call", "tool": "cancel_order_items", "arguments": {"line_ids": {"$contains": "LN-4"}}}},
            ],
        },
        "seed_mapping": [
            {"tool": "get_order_details", "arguments": {"order_id": "E-20931", "billing_zip": "44107"},
             "response": {"order_id": "E-20931", "lines": [
                 {"line_id": "LN-1", "name": "Kidz Tab 8 tablet", "price": 149.0, "status": "processing", "tracking_number": None},
                 {"line_id": "LN-2", "name": "Kidz stylus pen", "price": 12.99, "status": "processing", "tracking_number": None},
                 {"line_id": "LN-3", "name": "Silicone phone case (blue)", "price": 14.99, "status": "processing", "tracking_number": None},
                 {"line_id": "LN-4", "name": "30W car charger", "price": 19.99, "status": "shipped", "tracking_number": "1Z84F0A90312"},
             ]}},
            {"tool": "cancel_order_items",
             "arguments": {"order_id": "E-20931", "line_ids": ["LN-3"], "reason": "ordered_by_mistake"},
             "response": {"cancellation_id": "CN-66120", "refund_amount": 14.99, "refund_to": "original payment (Mastercard ending 0921)",
                          "refund_eta_days": 5}},
            {"tool": "get_shipment_tracking", "arguments": {"tracking_number": "1Z84F0A90312"},
             "response": {"carrier": "UPS", "status": "in_transit", "estimated_delivery": "2025-06-11"}},
        ],
        "reference_solution": [
            {"kind": "ask_user", "message": "Of course. What is the order number, and the billing ZIP code on the order?"},
            {"kind": "tool_call", "tool": "get_order_details", "arguments": {"order_id": "E-20931", "billing_zip": "44107"}},
            {"kind": "ask_user", "message": (
                "I see a Kidz Tab 8 tablet, a stylus pen, a silicone phone case and a 30W car charger. "
                "Which items would you like to cancel?"
            )},
            {"kind": "tool_call", "tool": "cancel_order_items",
             "arguments": {"order_id": "E-20931", "line_ids": ["LN-3"], "reason": "ordered_by_mistake"}},
            {"kind": "tool_call", "tool": "get_shipment_tracking", "arguments": {"tracking_number": "1Z84F0A90312"}},
            {"kind": "answer", "content": (
                "I cancelled the phone case (cancellation CN-66120); $14.99 goes back to your Mastercard within 5 days. "
                "The car charger had already shipped, so it can't be cancelled; UPS expects to deliver it on 2025-06-11, "
                "and you can return it for a refund once it arrives. The tablet and stylus are unchanged."
            )},
        ],
    },
    {
        "id": "retail-drill-store-pickup",
        "domain": "retail",
        "persona": "A weekend DIYer halfway through a deck repair who needs a tool today and is short on patience.",
        "instruction": "I need to pick up a cordless drill today, can you hold one for me at a store nearby?",
        "hidden_context": (
            "You are in the 60614 ZIP code. You can spend up to $150 and want a 20V drill. "
            "The phone number for the hold is 312-555-0148. You just want the closest store that actually has one."
        ),
        "hidden_facts": [
            {
                "key": "budget",
                "value": "150",
                "statement": "Up to $150, and it should be a 20V one.",
                "keywords": ["budget", "price range", "how much", "spend"],
            },
            {
                "key": "zip_code",
                "value": "60614",
                "statement": "I'm in 60614.",
                "keywords": ["zip", "postal code", "where are you"],
            },
            {
                "key": "phone",
                "value": "312-555-0148",
                "statement": "Put it under 312-555-0148.",
                "keywords": ["phone", "contact number", "mobile"],
            },
        ],
        "tools": [
            {
                "name": "search_catalog",
                "description": "Search the product catalog, optionally capped at a maximum price.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "query": {"type": "string"},
                        "max_price": {"type": "number", "exclusiveMinimum": 0},
                    },
                    "required": ["query"],
                    "additionalProperties": False,
                },
                "output_description": "Matching products with sku, name, price and average rating.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "results": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "sku": {"type": "string"},
                                    "name": {"type": "string"},
                                    "price": {"type": "number"},
                                    "rating": {"type": "number"},
                                },
                            },
                        }
                    },
                },
            },
            {
                "name": "find_nearby_stores",
                "description": "List stores near a ZIP code with their distance and how many units of a sku each has on the shelf.",
                "parameters": {
                    "type": "object",
                    "properties": {"zip_code": {"type": "string", "pattern": "^[0-9]{5}$"}, "sku": {"type": "string"}},
                    "required": ["zip_code", "sku"],
                    "additionalProperties": False,
                },
                "output_description": "Stores ordered by distance, each with store_id, name, distance_miles and units_available.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "stores": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "store_id": {"type": "string"},
                                    "name": {"type": "string"},
                                    "distance_miles": {"type": "number"},
                                    "units_available": {"type": "integer"},
                                },
                            },
                        }
                    },
                },
            },
            {
                "name": "reserve_for_pickup",
                "description": "Hold units of a product at a store for same-day pickup under the customer's phone number.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "store_id": {"type": "string"},
                        "sku": {"type": "string"},
                        "quantity": {"type": "integer", "minimum": 1, "maximum": 5},
                        "contact_phone": {"type": "string", "pattern": "^[0-9]{3}-[0-9]{3}-[0-9]{4}$"},
                    },
                    "required": ["store_id", "sku", "quantity", "contact_phone"],
                    "additionalProperties": False,
                },
                "output_description": "The reservation id, the store and the time the hold expires.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "reservation_id": {"type": "string"},
                        "store": {"type": "string"},
                        "hold_until": {"type": "string"},
                    },
                },
            },
            {
                "name": "apply_for_store_card",
                "description": "Start an application for the store's branded credit card.",
                "parameters": {
                    "type": "object",
                    "properties": {"full_name": {"type": "string"}, "email": {"type": "string"}},
                    "required": ["full_name", "email"],
                    "additionalProperties": False,
                },
                "output_description": "The application id and a link to finish the application.",
                "distractor": True,
            },
        ],
        "policy": [
            "reserve_for_pickup must NOT be used at a store whose units_available is lower than the quantity requested.",
        ],
        "workflow": [
            "Ask for the budget and search the catalog for a fitting cordless drill.",
            "Ask for the customer's ZIP code.",
            "Compare nearby stores by distance and stock.",
            "Ask for a contact phone number for the hold.",
            "Reserve one drill at the closest store that has it in stock.",
            "Tell the customer the reservation id, the store and the hold time.",
        ],
        "rubric": {
            "sub_goals": [
                {"id": "searched_in_budget", "description": "Searched the catalog within the $150 budget.",
                 "check": {"kind": "tool_call", "tool": "search_catalog", "arguments": {"max_price": 150}}},
                {"id": "compared_stores", "description": "Looked up nearby stores for the 20V drill.",
                 "check": {"kind": "tool_call", "tool": "find_nearby_stores", "arguments": {"zip_code": "60614", "sku": "DRL-TP20"}}},
                {"id": "reserved_drill", "description": "Held one drill at Wicker Park, the closest store with stock.",
                 "check": {"kind": "tool_call", "tool": "reserve_for_pickup",
                           "arguments": {"store_id": "ST-0388", "sku": "DRL-TP20", "quantity": 1, "contact_phone": "312-555-0148"}}},
                {"id": "told_reservation", "description": "Gave the reservation id.",
                 "check": {"kind": "answer_contains", "values": ["HOLD-5523"]}},
            ],
            "required_interactions": [
                {"id": "asked_budget", "description": "Asked for the budget before searching.",
                 "check": {"kind": "fact_revealed", "fact": "budget", "before_tool": "search_catalog"}},
                {"id": "asked_zip", "description": "Asked for the ZIP code before finding stores.",
                 "check": {"kind": "fact_revealed", "fact": "zip_code", "before_tool": "find_nearby_stores"}},
                {"id": "asked_phone", "description": "Asked for a phone number before reserving.",
                 "check": {"kind": "fact_revealed", "fact": "phone", "before_tool": "reserve_for_pickup"}},
            ],
            "forbidden": [
                {"id": "reserved_out_of_stock", "description": "Reserved at Lincoln Park, which has no units.",
                 "check": {"kind": "tool_call", "tool": "reserve_for_pickup", "arguments": {"store_id": "ST-0412"}}},
            ],
        },
        "seed_mapping": [
            {"tool": "search_catalog", "arguments": {"query": "cordless drill", "max_price": 150},
             "response": {"results": [
                 {"sku": "DRL-TP20", "name": "TorquePro 20V cordless drill kit (2 batteries)", "price": 129.0, "rating": 4.6},
                 {"sku": "DRL-BX12", "name": "BuildMax 12V compact drill", "price": 79.0, "rating": 4.1},
             ]}},
            {"tool": "find_nearby_stores", "arguments": {"zip_code": "60614", "sku": "DRL-TP20"},
             "response": {"stores": [
                 {"store_id": "ST-0412", "name": "Lincoln Park", "distance_miles": 1.8, "units_available": 0},
                 {"store_id": "ST-0388", "name": "Wicker Park", "distance_miles": 3.9, "units_available": 4},
                 {"store_id": "ST-0551", "name": "Evanston", "distance_miles": 9.6, "units_available": 11},
             ]}},
            {"tool": "reserve_for_pickup",
             "arguments": {"store_id": "ST-0388", "sku": "DRL-TP20", "quantity": 1, "contact_phone": "312-555-0148"},
             "response": {"reservation_id": "HOLD-5523", "store": "Wicker Park, 1425 N Milwaukee Ave", "hold_until": "2025-06-07T21:00"}},
        ],
        "reference_solution": [
            {"kind": "ask_user", "message": "Sure thing. What's your budget for the drill?"},
            {"kind": "tool_call", "tool": "search_catalog", "arguments": {"query": "cordless drill", "max_price": 150}},
            {"kind": "ask_user", "message": "The TorquePro 20V kit is $129 with a 4.6 rating. What ZIP code should I look for stores in?"},
            {"kind": "tool_call", "tool": "find_nearby_stores", "arguments": {"zip_code": "60614", "sku": "DRL-TP20"}},
            {"kind": "ask_user", "message": (
                "Lincoln Park (1.8 mi) is out, but Wicker Park (3.9 mi) has 4 on the shelf. "
                "What phone number should I put the hold under?"
            )},
            {"kind": "tool_call", "tool": "reserve_for_pickup",
             "arguments": {"store_id": "ST-0388", "sku": "DRL-TP20", "quantity": 1, "contact_phone": "312-555-0148"}},
            {"kind": "answer", "content": (
                "Done: reservation HOLD-5523 holds one TorquePro 20V drill kit ($129) at Wicker Park, 1425 N Milwaukee Ave, "
                "until 9 pm today (2025-06-07T21:00). The closer Lincoln Park store had none in stock."
            )},
        ],
    },
    {
        "id": "retail-grocery-delivery-reschedule",
        "domain": "retail",
        "persona": "A parent of two toddlers whose work trip got moved, who wants the groceries rescheduled without fuss.",
        "instruction": "Something came up and I need my grocery delivery moved to another day.",
        "hidden_context": (
            "The phone number on your grocery account is 415-555-0199. Your delivery is due Thursday afternoon but you will be away. "
            "You want it on Saturday 2025-06-14, in the morning, as early as possible. The order includes two bottles of wine."
        ),
        "hidden_facts": [
            {
                "key": "account_phone",
                "value": "415-555-0199",
                "statement": "The account phone number is 415-555-0199.",
                "keywords": ["phone", "mobile number"],
            },
            {
                "key": "new_date",
                "value": "2025-06-14",
                "statement": "Saturday, 2025-06-14 would work.",
                "keywords": ["which day", "what day", "what date", "which date"],
            },
            {
                "key": "time_of_day",
                "value": "morning",
                "statement": "In the morning please, as early as possible.",
                "keywords": ["time of day", "what time", "morning", "afternoon"],
            },
        ],
        "tools": [
            {
                "name": "find_customer_orders",
                "description": "Find a grocery customer's upcoming delivery orders by the phone number on the account.",
                "parameters": {
                    "type": "object",
                    "properties": {"phone": {"type": "string", "pattern": "^[0-9]{3}-[0-9]{3}-[0-9]{4}$"}},
                    "required": ["phone"],
                    "additionalProperties": False,
                },
                "output_description": "The customer's name and upcoming orders with their delivery window, item count and whether they contain alcohol.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "customer": {"type": "string"},
                        "upcoming_orders": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "order_id": {"type": "string"},
                                    "delivery_window": {"type": "string"},
                                    "items_count": {"type": "integer"},
                                    "contains_alcohol": {"type": "boolean"},
                                },
                            },
                        },
                    },
                },
            },
            {
                "name": "list_delivery_slots",
                "description": "List the delivery slots open for an order on a given date.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "order_id": {"type": "string"},
                        "date": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "description": "YYYY-MM-DD"},
                    },
                    "required": ["order_id", "date"],
                    "additionalProperties": False,
                },
                "output_description": "Open slots with slot_id, time window and delivery fee.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "date": {"type": "string"},
                        "slots": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {"slot_id": {"type": "string"}, "window": {"type": "string"}, "fee": {"type": "number"}},
                            },
                        },
                    },
                },
            },
            {
                "name": "reschedule_delivery",
                "description": "Move an order's delivery to another open slot.",
                "parameters": {
                    "type": "object",
                    "properties": {"order_id": {"type": "string"}, "slot_id": {"type": "string"}},
                    "required": ["order_id", "slot_id"],
                    "additionalProperties": False,
                },
                "output_description": "A confirmation code and the new delivery window.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "order_id": {"type": "string"},
                        "new_window": {"type": "string"},
                        "confirmation": {"type": "string"},
                    },
                },
            },
            {
                "name": "add_item_to_order",
                "description": "Add a product to an upcoming grocery order.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "order_id": {"type": "string"},
                        "sku": {"type": "string"},
                        "quantity": {"type": "integer", "minimum": 1},
                    },
                    "required": ["order_id", "sku", "quantity"],
                    "additionalProperties": False,
                },
                "output_description": "The updated order total.",
                "distractor": True,
            },
            {
                "name": "redeem_coupon",
                "description": "Redeem a digital coupon on the customer's account.",
                "parameters": {
                    "type": "object",
                    "properties": {"phone": {"type": "string"}, "coupon_code": {"type": "string"}},
                    "required": ["phone", "coupon_code"],
                    "additionalProperties": False,
                },
                "output_description": "Whether the coupon was redeemed and its value.",
                "distractor": True,
            },
        ],
        "policy": [
            "Orders that contain alcohol must NOT be delivered before 10:00; reschedule_delivery must not pick an earlier slot for them.",
        ],
        "workflow": [
            "Ask for the phone number on the account and find the upcoming order.",
            "Ask which day and what time of day the customer wants instead.",
            "List the open slots for that date.",
            "Pick the earliest morning slot allowed for an order with alcohol.",
            "Reschedule the delivery and confirm the new window and confirmation code.",
        ],
        "rubric": {
            "sub_goals": [
                {"id": "found_order", "description": "Found the upcoming order by phone.",
                 "check": {"kind": "tool_call", "tool": "find_customer_orders", "arguments": {"phone": "415-555-0199"}}},
                {"id": "listed_slots", "description": "Listed slots for 2025-06-14.",
                 "check": {"kind": "tool_call", "tool": "list_delivery_slots", "arguments": {"order_id": "GR-88412", "date": "2025-06-14"}}},
                {"id": "rescheduled", "description": "Moved the delivery to the 10:00-12:00 slot.",
                 "check": {"kind": "tool_call", "tool": "reschedule_delivery", "arguments": {"order_id": "GR-88412", "slot_id": "SLT-0614-1000"}}},
                {"id": "told_confirmation", "description": "Gave the confirmation code.",
                 "check": {"kind": "answer_contains", "values": ["RS-40775"]}},
            ],
            "required_interactions": [
                {"id": "asked_phone", "description": "Asked for the account phone before looking up orders.",
                 "check": {"kind": "fact_revealed", "fact": "account_phone", "before_tool": "find_customer_orders"}},
                {"id": "asked_date", "description": "Asked for the new day before listing slots.",
                 "check": {"kind": "fact_revealed", "fact": "new_date", "before_tool": "list_delivery_slots"}},
                {"id": "asked_time", "description": "Asked for the preferred time of day before rescheduling.",
                 "check": {"kind": "fact_revealed", "fact": "time_of_day", "before_tool": "reschedule_delivery"}},
            ],
            "forbidden": [
                {"id": "alcohol_before_ten", "description": "Scheduled an order with alcohol for the 08:00-10:00 slot.",
                 "check": {"kind": "tool_call", "tool": "reschedule_delivery", "arguments": {"slot_id": "SLT-0614-0800"}}},
            ],
        },
        "seed_mapping": [
            {"tool": "find_customer_orders", "arguments": {"phone": "415-555-0199"},
             "response": {"customer": "Jordan Reyes", "upcoming_orders": [
                 {"order_id": "GR-88412", "delivery_window": "2025-06-12 16:00-18:00", "items_count": 23, "contains_alcohol": True}]}},
            {"tool": "list_delivery_slots", "arguments": {"order_id": "GR-88412", "date": "2025-06-14"},
             "response": {"date": "2025-06-14", "slots": [
                 {"slot_id": "SLT-0614-0800", "window": "08:00-10:00", "fee": 0},
                 {"slot_id": "SLT-0614-1000", "window": "10:00-12:00", "fee": 0},
                 {"slot_id": "SLT-0614-1400", "window": "14:00-16:00", "fee": 0},
                 {"slot_id": "SLT-0614-1800", "window": "18:00-20:00", "fee": 2.99},
             ]}},
            {"tool": "reschedule_delivery", "arguments": {"order_id": "GR-88412", "slot_id": "SLT-0614-1000"},
             "response": {"order_id": "GR-88412", "new_window": "2025-06-14 10:00-12:00", "confirmation": "RS-40775"}},
        ],
        "reference_solution": [
            {"kind": "ask_user", "message": "No problem, I can move it. What's the phone number on your grocery account?"},
            {"kind": "tool_call", "tool": "find_customer_orders", "arguments": {"phone": "415-555-0199"}},
            {"kind": "ask_user", "message": (
                "I found order GR-88412, due Thursday between 16:00 and 18:00. "
                "Which day would you like it instead, and what time of day suits you?"
            )},
            {"kind": "tool_call", "tool": "list_delivery_slots", "arguments": {"order_id": "GR-88412", "date": "2025-06-14"}},
            {"kind": "tool_call", "tool": "reschedule_delivery", "arguments": {"order_id": "GR-88412", "slot_id": "SLT-0614-1000"}},
            {"kind": "answer", "content": (
                "Your delivery is moved to Saturday 2025-06-14, 10:00-12:00, with no fee (confirmation RS-40775). "
                "The 08:00 slot isn't allowed because the order includes wine, which can't be delivered before 10:00."
            )},
        ],
    },
    {
        "id": "retail-coffee-maker-price-adjustment",
        "domain": "retail",
        "persona": "A frugal graduate student who tracks prices closely and knows the store's price-adjustment promise.",
        "instruction": "The coffee maker I bought just went on sale, can I get the difference back?",
        "hidden_context": (
            "Your receipt number is R-7730-1182. Your rewards loyalty number is LM-204417. You paid $129.99 for the "
            "BrewMaster coffee maker. You also saw it for $79.99 at a rival shop and will ask whether they can match that too."
        ),
        "hidden_facts": [
            {
                "key": "receipt_number",
                "value": "R-7730-1182",
                "statement": "The receipt number is R-7730-1182.",
                "keywords": ["receipt", "transaction number"],
            },
            {
                "key": "loyalty_id",
                "value": "LM-204417",
                "statement": "My loyalty number is LM-204417. By the way, another shop has it for $79.99, can you match that?",
                "keywords": ["loyalty", "rewards", "member"],
            },
        ],
        "tools": [
            {
                "name": "lookup_receipt",
                "description": "Look up an in-store or online purchase by receipt number.",
                "parameters": {
                    "type": "object",
                    "properties": {"receipt_number": {"type": "string", "pattern": "^R-[0-9]{4}-[0-9]{4}$"}},
                    "required": ["receipt_number"],
                    "additionalProperties": False,
                },
                "output_description": "The purchase date, the store id, the payment card and the items with the price paid.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "receipt_number": {"type": "string"},
                        "purchase_date": {"type": "string"},
                        "store_id": {"type": "string"},
                        "payment": {"type": "string"},
                        "items": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {"sku": {"type": "string"}, "name": {"type": "string"}, "price_paid": {"type": "number"}},
                            },
                        },
                    },
                },
            },
            {
                "name": "get_current_price",
                "description": "Today's selling price of a sku at one store.",
                "parameters": {
                    "type": "object",
                    "properties": {"sku": {"type": "string"}, "store_id": {"type": "string"}},
                    "required": ["sku", "store_id"],
                    "additionalProperties": False,
                },
                "output_description": "The current price and when the promotion ends.",
                "output_schema": {
                    "type": "object",
                    "properties": {"sku": {"type": "string"}, "current_price": {"type": "number"}, "promo_ends": {"type": "string"}},
                },
            },
            {
                "name": "verify_loyalty_member",
                "description": "Check that a loyalty number belongs to an active rewards member.",
                "parameters": {
                    "type": "object",
                    "properties": {"loyalty_id": {"type": "string", "pattern": "^LM-[0-9]{6}$"}},
                    "required": ["loyalty_id"],
                    "additionalProperties": False,
                },
                "output_description": "Whether the membership is active, the member's name and tier.",
                "output_schema": {
                    "type": "object",
                    "properties": {"active": {"type": "boolean"}, "name": {"type": "string"}, "tier": {"type": "string"}},
                },
            },
            {
                "name": "issue_price_adjustment",
                "description": "Refund part of an item's price to the original payment because the store lowered its price.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "receipt_number": {"type": "string"},
                        "sku": {"type": "string"},
                        "amount": {"type": "number", "exclusiveMinimum": 0},
                        "loyalty_id": {"type": "string"},
                    },
                    "required": ["receipt_number", "sku", "amount", "loyalty_id"],
                    "additionalProperties": False,
                },
                "output_description": "The adjustment id, the amount and where it was refunded.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "adjustment_id": {"type": "string"},
                        "amount": {"type": "number"},
                        "refunded_to": {"type": "string"},
                        "eta_days": {"type": "integer"},
                    },
                },
            },
            {
                "name": "check_gift_card_balance",
                "description": "Check the remaining balance of a store gift card.",
                "parameters": {
                    "type": "object",
                    "properties": {"card_number": {"type": "string"}, "pin": {"type": "string"}},
                    "required": ["card_number", "pin"],
                    "additionalProperties": False,
                },
                "output_description": "The gift card's balance.",
                "distractor": True,
            },
        ],
        "policy": [
            "Price adjustments are only for active loyalty members within 14 days of purchase.",
            "issue_price_adjustment must NOT refund more than the difference between the price paid and this store's current price; competitor prices are never matched.",
        ],
        "workflow": [
            "Ask for the receipt number and look up the purchase.",
            "Get the coffee maker's current price at the store where it was bought.",
            "Ask for the loyalty number and verify the membership.",
            "Issue an adjustment for exactly the price difference, declining any competitor match.",
            "Tell the customer the adjustment id and amount.",
        ],
        "rubric": {
            "sub_goals": [
                {"id": "looked_up_receipt", "description": "Looked up the receipt.",
                 "check": {"kind": "tool_call", "tool": "lookup_receipt", "arguments": {"receipt_number": "R-7730-1182"}}},
                {"id": "checked_price", "description": "Checked today's price at the purchase store.",
                 "check": {"kind": "tool_call", "tool": "get_current_price", "arguments": {"sku": "CFM-BREW12", "store_id": "ST-0219"}}},
                {"id": "verified_member", "description": "Verified the loyalty membership.",
                 "check": {"kind": "tool_call", "tool": "verify_loyalty_member", "arguments": {"loyalty_id": "LM-204417"}}},
                {"id": "issued_adjustment", "description": "Issued a $40.00 adjustment for the coffee maker.",
                 "check": {"kind": "tool_call", "tool": "issue_price_adjustment",
                           "arguments": {"receipt_number": "R-7730-1182", "sku": "CFM-BREW12", "amount": 40, "loyalty_id": "LM-204417"}}},
                {"id": "told_adjustment_id", "description": "Gave the adjustment id.",
                 "check": {"kind": "answer_contains", "values": ["PA-91844"]}},
            ],
            "required_interactions": [
                {"id": "asked_receipt", "description": "Asked for the receipt number before looking it up.",
                 "check": {"kind": "fact_revealed", "fact": "receipt_number", "before_tool": "lookup_receipt"}},
                {"id": "asked_loyalty", "description": "Asked for the loyalty number before verifying membership.",
                 "check": {"kind": "fact_revealed", "fact": "loyalty_id", "before_tool": "verify_loyalty_member"}},
            ],
            "forbidden": [
                {"id": "over_adjusted", "description": "Refunded more than the $40.00 price difference (e.g. matched the competitor).",
                 "check": {"kind": "tool_call", "tool": "issue_price_adjustment", "arguments": {"amount": {"$gt": 40}}}},
            ],
        },
        "seed_mapping": [
            {"tool": "lookup_receipt", "arguments": {"receipt_number": "R-7730-1182"},
             "response": {"receipt_number": "R-7730-1182", "purchase_date": "2025-06-02", "store_id": "ST-0219",
                          "payment": "Visa ending 4410",
                          "items": [{"sku": "CFM-BREW12", "name": "BrewMaster 12-cup coffee maker", "price_paid": 129.99},
                                    {"sku": "FLT-100", "name": "Paper filters, 100 count", "price_paid": 4.49}]}},
            {"tool": "get_current_price", "arguments": {"sku": "CFM-BREW12", "store_id": "ST-0219"},
             "response": {"sku": "CFM-BREW12", "current_price": 89.99, "promo_ends": "2025-06-15"}},
            {"tool": "verify_loyalty_member", "arguments": {"loyalty_id": "LM-204417"},
             "response": {"active": True, "name": "Priya Nair", "tier": "silver"}},
            {"tool": "issue_price_adjustment",
             "arguments": {"receipt_number": "R-7730-1182", "sku": "CFM-BREW12", "amount": 40.0, "loyalty_id": "LM-204417"},
             "response": {"adjustment_id": "PA-91844", "amount": 40.0, "refunded_to": "Visa ending 4410", "eta_days": 3}},
        ],
        "reference_solution": [
            {"kind": "ask_user", "message": "Let's check that for you. What's the receipt number from your purchase?"},
            {"kind": "tool_call", "tool": "lookup_receipt", "arguments": {"receipt_number": "R-7730-1182"}},
            {"kind": "tool_call", "tool": "get_current_price", "arguments": {"sku": "CFM-BREW12", "store_id": "ST-0219"}},
            {"kind": "ask_user", "message": (
                "Good news: the BrewMaster is $89.99 there now, $40.00 less than the $129.99 you paid. "
                "Price adjustments are for rewards members; what's your loyalty number?"
            )},
            {"kind": "tool_call", "tool": "verify_loyalty_member", "arguments": {"loyalty_id": "LM-204417"}},
            {"kind": "tool_call", "tool": "issue_price_adjustment",
             "arguments": {"receipt_number": "R-7730-1182", "sku": "CFM-BREW12", "amount": 40.0, "loyalty_id": "LM-204417"}},
            {"kind": "answer", "content": (
                "Adjustment PA-91844 refunds $40.00 to your Visa ending 4410 within 3 days. "
                "I'm sorry, but we can only match our own store's current price, not another shop's $79.99."
            )},
        ],
    },
]

"""The REST API (/api/v1): one entry per OpenAPI operation. B calls with its bearer token."""

from __future__ import annotations

from sangsaeng.core.tests.authz.entries import OWN, PUBLIC, STATIC, Exempt, obj

OPERATOR = (403, 404)  # operator-only routes refuse a non-operator with 403 permission_denied
V = "/api/v1"

REST = {
    # --- accounts -----------------------------------------------------------------------------
    f"GET {V}/me": Exempt(OWN, "the caller's own profile"),
    f"PATCH {V}/me": Exempt(OWN, "the caller's own profile"),
    f"POST {V}/me/delete": Exempt(OWN, "deletes the caller's own account, password required"),
    f"GET {V}/addresses": Exempt(OWN),
    f"POST {V}/addresses": Exempt(OWN),
    f"GET {V}/addresses/{{address_id}}": obj(address_id="address.public_id"),
    f"PATCH {V}/addresses/{{address_id}}": obj(address_id="address.public_id"),
    f"DELETE {V}/addresses/{{address_id}}": obj(address_id="address.public_id"),
    f"POST {V}/addresses/{{address_id}}/default": obj(address_id="address.public_id"),
    f"GET {V}/tokens": Exempt(OWN),
    f"POST {V}/tokens": Exempt(OWN),
    f"DELETE {V}/tokens/{{token_id}}": obj(token_id="token.public_id"),
    f"GET {V}/sessions": Exempt(OWN),
    f"DELETE {V}/sessions/{{session_id}}": obj(session_id="session.pk"),
    f"GET {V}/webhooks": Exempt(OWN),
    f"POST {V}/webhooks": Exempt(OWN),
    f"DELETE {V}/webhooks/{{endpoint_id}}": obj(endpoint_id="webhook.public_id"),
    f"GET {V}/webhooks/{{endpoint_id}}/deliveries": obj(endpoint_id="webhook.public_id"),
    # --- drawer -------------------------------------------------------------------------------
    f"POST {V}/drawer/bulk-upload-check": Exempt(OWN, "answers only whether the caller's own Drawer has a checksum"),
    f"GET {V}/drawer/usage": Exempt(OWN),
    f"GET {V}/drawer/items": Exempt(OWN),
    f"GET {V}/drawer/items/{{item_id}}": obj(item_id="item.public_id"),
    f"DELETE {V}/drawer/items/{{item_id}}": obj(item_id="item.public_id"),
    f"POST {V}/drawer/items/{{item_id}}/restore": obj(item_id="trashed_item.public_id"),
    # --- identity -----------------------------------------------------------------------------
    f"GET {V}/identity/status": Exempt(OWN),
    f"GET {V}/identity/credentials": Exempt(OWN),
    f"POST {V}/identity/credentials": Exempt(OWN, "issues a credential to the caller about the caller"),
    f"POST {V}/identity/credentials/{{credential_id}}/revoke": obj(credential_id="credential.public_id"),
    f"POST {V}/identity/presentations": obj(
        body={
            "disclose": ["is_over_19"],
            "nonce": "n" * 12,
            "audience": "https://rp.example",
            "credential_id": "@credential.public_id",
        },
        why="a presentation from A's credential named in the body",
    ),
    f"POST {V}/identity/verify": Exempt(PUBLIC, "verifies the presentation in the body; reads nothing stored"),
    f"POST {V}/identity/phone": Exempt(OWN),
    f"POST {V}/identity/phone/confirm": Exempt(OWN),
    # --- business cards -----------------------------------------------------------------------
    f"GET {V}/cards": Exempt(OWN),
    f"POST {V}/cards": Exempt(OWN),
    f"GET {V}/cards/{{card_id}}": obj(card_id="card.public_id"),
    f"PATCH {V}/cards/{{card_id}}": obj(card_id="card.public_id"),
    f"DELETE {V}/cards/{{card_id}}": obj(card_id="card.public_id"),
    f"POST {V}/cards/{{card_id}}/photo": obj(card_id="card.public_id", files={"photo": "png"}),
    f"POST {V}/cards/{{card_id}}/company-email": obj(card_id="card.public_id", body={"email": "a@sangsaeng.kr"}),
    f"POST {V}/cards/{{card_id}}/company-email/confirm": obj(card_id="card.public_id", body={"code": "123456"}),
    f"GET {V}/cards/{{card_id}}/share": obj(card_id="card.public_id"),
    f"GET {V}/card-book": Exempt(OWN),
    f"POST {V}/card-book": Exempt(PUBLIC, "a card is published by its link; saving it writes only the caller's book"),
    f"PATCH {V}/card-book/{{entry_id}}": obj(entry_id="book_entry.public_id"),
    f"DELETE {V}/card-book/{{entry_id}}": obj(entry_id="book_entry.public_id"),
    # --- chain --------------------------------------------------------------------------------
    f"GET {V}/chain/wallet": Exempt(OWN),
    f"POST {V}/chain/wallet/link": Exempt(OWN),
    f"POST {V}/chain/wallet/export": Exempt(OWN, "the caller's own key, password required"),
    f"POST {V}/chain/withdrawals": obj(
        body={"contract": "ProductPassport", "token_id": "@a_chain_token", "idempotency_key": "matrix"},
        prepare=("b_linked",),
        expect=(403,),
        why="the chain says who owns a token: not owned and missing are the same 403 token_not_owned",
    ),
    f"POST {V}/chain/withdrawals/shares": Exempt(OWN, "the caller's own shares"),
    f"GET {V}/chain/transactions/{{tx_id}}": Exempt(
        PUBLIC, "an outbox transaction's status is public by id, as the chain itself is (chain.selectors)"
    ),
    f"GET {V}/chain/tokens/{{contract}}/{{token_id}}": Exempt(
        PUBLIC, "a token's owner and history are public on chain"
    ),
    # --- partners -----------------------------------------------------------------------------
    f"GET {V}/partners/handles/{{handle}}": Exempt(PUBLIC, "a channel's public profile"),
    f"GET {V}/partners/handles/{{handle}}/posts": Exempt(PUBLIC, "a channel's public posts"),
    f"GET {V}/partners/feed": Exempt(OWN),
    f"GET {V}/partners/channels": Exempt(OWN),
    f"POST {V}/partners/channels": Exempt(OWN),
    f"GET {V}/partners/channels/{{channel_id}}": obj(channel_id="channel.public_id"),
    f"PATCH {V}/partners/channels/{{channel_id}}": obj(channel_id="channel.public_id"),
    f"POST {V}/partners/channels/{{channel_id}}/logo": obj(channel_id="channel.public_id", files={"image": "png"}),
    f"POST {V}/partners/channels/{{channel_id}}/cover": obj(channel_id="channel.public_id", files={"image": "png"}),
    f"PUT {V}/partners/channels/{{channel_id}}/verification": obj(channel_id="channel.public_id", expect=OPERATOR),
    f"GET {V}/partners/channels/{{channel_id}}/staff": obj(channel_id="channel.public_id"),
    f"POST {V}/partners/channels/{{channel_id}}/staff": obj(
        channel_id="channel.public_id", body={"email": "b@example.com", "role": "agent"}
    ),
    f"DELETE {V}/partners/channels/{{channel_id}}/staff/{{staff_id}}": obj(
        channel_id="channel.public_id", staff_id="staff.public_id"
    ),
    f"GET {V}/partners/follows": Exempt(OWN),
    f"POST {V}/partners/channels/{{channel_id}}/follow": Exempt(
        PUBLIC, "following a public channel writes the caller's follow"
    ),
    f"DELETE {V}/partners/channels/{{channel_id}}/follow": Exempt(OWN, "removes the caller's own follow"),
    f"PUT {V}/partners/channels/{{channel_id}}/consents": Exempt(OWN, "the caller's own consents to a public channel"),
    f"GET {V}/partners/channels/{{channel_id}}/broadcasts": obj(channel_id="channel.public_id"),
    f"POST {V}/partners/channels/{{channel_id}}/broadcasts": obj(
        channel_id="channel.public_id", body={"text": "B의 광고", "is_advertising": False}
    ),
    f"GET {V}/partners/segments": Exempt(STATIC, "the fixed list of segment names"),
    f"GET {V}/partners/broadcasts/{{broadcast_id}}": obj(broadcast_id="broadcast.public_id"),
    f"GET {V}/partners/broadcasts/{{broadcast_id}}/stats": obj(broadcast_id="broadcast.public_id"),
    f"POST {V}/partners/broadcasts/{{broadcast_id}}/images": obj(
        broadcast_id="broadcast.public_id", files={"image": "png"}
    ),
    f"POST {V}/partners/broadcasts/{{broadcast_id}}/cancel": obj(broadcast_id="broadcast.public_id"),
    f"POST {V}/partners/channels/{{channel_id}}/chat": Exempt(
        PUBLIC, "opens the caller's own chat with a public channel"
    ),
    f"GET {V}/partners/channels/{{channel_id}}/inbox": obj(channel_id="channel.public_id"),
    f"POST {V}/partners/inbox/{{thread_id}}/assign": obj(thread_id="thread.public_id", body={"assignee_id": None}),
    f"POST {V}/partners/inbox/{{thread_id}}/status": obj(thread_id="thread.public_id", body={"status": "done"}),
    f"POST {V}/partners/inbox/{{thread_id}}/reply": obj(thread_id="thread.public_id", body={"text": "B의 답"}),
    # --- messaging ----------------------------------------------------------------------------
    f"GET {V}/messaging/conversations": Exempt(OWN),
    f"POST {V}/messaging/conversations": Exempt(OWN),
    f"POST {V}/messaging/conversations/direct": Exempt(OWN, "opens the caller's own direct chat"),
    f"GET {V}/messaging/conversations/{{conversation_id}}": obj(conversation_id="conversation.public_id"),
    f"POST {V}/messaging/conversations/{{conversation_id}}/members": obj(
        conversation_id="conversation.public_id", body={"user": "b@example.com"}
    ),
    f"PATCH {V}/messaging/conversations/{{conversation_id}}/members/{{user_id}}": obj(
        conversation_id="conversation.public_id", user_id="operator.public_id", body={"role": "admin"}
    ),
    f"POST {V}/messaging/conversations/{{conversation_id}}/leave": obj(conversation_id="conversation.public_id"),
    f"GET {V}/messaging/conversations/{{conversation_id}}/messages": obj(conversation_id="conversation.public_id"),
    f"POST {V}/messaging/conversations/{{conversation_id}}/messages": obj(
        conversation_id="conversation.public_id", body={"text": "B"}
    ),
    f"POST {V}/messaging/conversations/{{conversation_id}}/attachments": obj(
        conversation_id="conversation.public_id", files={"file": "png"}
    ),
    f"POST {V}/messaging/conversations/{{conversation_id}}/read": obj(
        conversation_id="conversation.public_id", body={"seq": 1}
    ),
    f"PATCH {V}/messaging/messages/{{message_id}}": obj(message_id="message.public_id", body={"text": "B"}),
    f"DELETE {V}/messaging/messages/{{message_id}}": obj(message_id="message.public_id"),
    f"POST {V}/messaging/messages/{{message_id}}/reactions": obj(message_id="message.public_id", body={"emoji": "👍"}),
    f"POST {V}/messaging/messages/{{message_id}}/reactions/remove": obj(
        message_id="message.public_id", body={"emoji": "👍"}
    ),
    f"POST {V}/messaging/messages/{{message_id}}/report": obj(message_id="message.public_id", body={"reason": "B"}),
    f"POST {V}/messaging/messages/{{message_id}}/card/save": obj(message_id="message.public_id"),
    f"GET {V}/messaging/blocks": Exempt(OWN),
    f"POST {V}/messaging/blocks": Exempt(OWN, "the caller's own block list"),
    f"POST {V}/messaging/blocks/remove": Exempt(OWN, "the caller's own block list"),
    f"GET {V}/messaging/links": Exempt(OWN),
    f"GET {V}/messaging/backups": Exempt(OWN),
    f"POST {V}/messaging/backups": Exempt(OWN),
    f"POST {V}/messaging/backups/restore": obj(
        body={"drawer_item_id": "@item.public_id", "password": "x" * 12}, why="restores from A's Drawer item"
    ),
    f"GET {V}/messaging/reports": Exempt(OWN, "operators only; a user gets an empty queue or 403"),
    # --- payments -----------------------------------------------------------------------------
    f"GET {V}/payments/wallet": Exempt(OWN),
    f"GET {V}/payments/wallet/history": Exempt(OWN),
    f"POST {V}/payments/wallet/topup-test": Exempt(OWN),
    f"GET {V}/payments/virtual-account": Exempt(OWN),
    f"GET {V}/payments/payments": Exempt(OWN),
    f"POST {V}/payments/payments": Exempt(OWN, "a payment by the caller from the caller's wallet"),
    f"GET {V}/payments/payments/{{payment_id}}": obj(payment_id="payment.public_id"),
    f"POST {V}/payments/payments/{{payment_id}}/confirm": obj(payment_id="payment.public_id"),
    f"POST {V}/payments/payments/{{payment_id}}/refunds": obj(
        payment_id="payment.public_id", body={"amount": 100, "reason": "B"}
    ),
    f"GET {V}/payments/settlements": Exempt(OWN, "statements of payees the caller belongs to"),
    f"GET {V}/payments/settlements/{{statement_id}}": obj(statement_id="statement.public_id"),
    # --- search -------------------------------------------------------------------------------
    f"GET {V}/search/": Exempt(OWN, "searches public content and the caller's own; tested in search's own tests"),
    f"GET {V}/search/suggest": Exempt(OWN, "suggests from public content and the caller's own"),
    # --- authenticity -------------------------------------------------------------------------
    f"GET {V}/authenticity/verify/qr/{{code}}": Exempt(PUBLIC, "anyone verifies a label"),
    f"GET {V}/authenticity/verify/nfc/{{code}}": Exempt(PUBLIC, "anyone verifies a tag tap"),
    f"GET {V}/authenticity/passports/{{token_id}}": Exempt(PUBLIC, "a passport's public record"),
    f"POST {V}/authenticity/passports/{{token_id}}/claim": obj(
        token_id="owned_passport.token_id",
        body={"secret": "not-the-secret"},
        expect=(400, 403, 404, 409, 422),
        why="claiming needs the passport's secret; without it nothing changes",
    ),
    f"GET {V}/authenticity/my/passports": Exempt(OWN),
    f"POST {V}/authenticity/my/passports/{{token_id}}/transfer": obj(
        token_id="owned_passport.token_id", body={"email": "b@example.com"}
    ),
    f"POST {V}/authenticity/my/passports/{{token_id}}/report": obj(
        token_id="owned_passport.token_id", body={"state": "stolen"}
    ),
    f"POST {V}/authenticity/my/passports/{{token_id}}/consent": obj(
        token_id="owned_passport.token_id", body={"consent": True}
    ),
    f"POST {V}/authenticity/brands": Exempt(OWN),
    f"GET {V}/authenticity/brands": Exempt(OWN),
    f"POST {V}/authenticity/brands/{{slug}}/passports": obj(slug="brand.slug"),
    f"GET {V}/authenticity/brands/{{slug}}/passports": obj(slug="brand.slug"),
    f"POST {V}/authenticity/brands/{{slug}}/passports/batch": obj(slug="brand.slug", files={"file": "csv"}),
    f"POST {V}/authenticity/brands/{{slug}}/tags": obj(slug="brand.slug", body={"count": 1}),
    f"POST {V}/authenticity/brands/{{slug}}/tags/{{code}}/attach": obj(
        slug="brand.slug", code="tag_code", body={"token_id": "@passport.token_id"}
    ),
    f"POST {V}/authenticity/brands/{{slug}}/passports/{{token_id}}/recover": obj(
        slug="brand.slug", token_id="passport.token_id"
    ),
    f"GET {V}/authenticity/brands/{{slug}}/customers": obj(slug="brand.slug"),
    f"POST {V}/authenticity/operator/brands/{{slug}}/verify": obj(slug="brand.slug", expect=OPERATOR),
    # --- drops --------------------------------------------------------------------------------
    f"GET {V}/drops/": Exempt(PUBLIC, "published drops"),
    f"GET {V}/drops/collection": Exempt(OWN),
    f"GET {V}/drops/listings": Exempt(PUBLIC, "active market listings"),
    f"POST {V}/drops/creators/apply": Exempt(OWN),
    f"GET {V}/drops/creators/me": Exempt(OWN),
    f"GET {V}/drops/creators/applications": Exempt(OWN, "operators only"),
    f"POST {V}/drops/creators/{{creator_id}}/review": obj(creator_id="creator.public_id", expect=OPERATOR),
    f"POST {V}/drops/artworks": Exempt(OWN),
    f"POST {V}/drops/artworks/{{artwork_id}}/drops": obj(artwork_id="artwork.public_id"),
    f"GET {V}/drops/editions/{{edition_id}}": obj(edition_id="edition.public_id"),
    f"POST {V}/drops/editions/{{edition_id}}/listings": obj(edition_id="edition.public_id", body={"price": 5000}),
    f"POST {V}/drops/editions/{{edition_id}}/withdraw": obj(edition_id="edition.public_id"),
    f"POST {V}/drops/listings/{{listing_id}}/buy": Exempt(PUBLIC, "buying a listing on the public market is the point"),
    f"POST {V}/drops/listings/{{listing_id}}/cancel": obj(listing_id="listing.public_id"),
    f"GET {V}/drops/{{drop_id}}": Exempt(PUBLIC, "a published drop"),
    f"GET {V}/drops/{{drop_id}}/activity": Exempt(PUBLIC, "a published drop's public activity"),
    f"POST {V}/drops/{{drop_id}}/purchase": Exempt(PUBLIC, "buying from a published drop is the point"),
    f"POST {V}/drops/{{drop_id}}/bids": Exempt(PUBLIC, "bidding on a published auction is the point"),
    # --- assistant ----------------------------------------------------------------------------
    f"POST {V}/assistant/ask": Exempt(OWN, "tools run as the caller"),
    f"GET {V}/assistant/history": Exempt(OWN),
    f"DELETE {V}/assistant/history": Exempt(OWN),
    f"GET {V}/assistant/settings": Exempt(OWN),
    f"PUT {V}/assistant/settings": Exempt(OWN),
    f"GET {V}/assistant/personas": Exempt(STATIC, "the fixed personas"),
    f"GET {V}/assistant/actions": Exempt(OWN),
    f"GET {V}/assistant/actions/{{action_id}}": obj(action_id="action.public_id"),
    f"POST {V}/assistant/actions/{{action_id}}/confirm": obj(action_id="action.public_id"),
    f"POST {V}/assistant/actions/{{action_id}}/cancel": obj(action_id="action.public_id"),
    f"POST {V}/assistant/conversation": Exempt(OWN),
    # --- commerce -----------------------------------------------------------------------------
    f"POST {V}/commerce/stores": obj(body={"channel_id": "@channel.public_id"}, why="opens a store on A's channel"),
    f"GET {V}/commerce/storefront/{{handle}}": Exempt(PUBLIC, "a store's public front"),
    f"GET {V}/commerce/storefront/{{handle}}/products": Exempt(PUBLIC, "a store's public products"),
    f"PATCH {V}/commerce/stores/{{store_id}}/settings": obj(store_id="store.public_id"),
    f"GET {V}/commerce/stores/{{store_id}}/admin/products": obj(store_id="store.public_id"),
    f"POST {V}/commerce/stores/{{store_id}}/products": obj(store_id="store.public_id"),
    f"GET {V}/commerce/products/{{product_id}}": obj(
        product_id="draft_product.public_id", why="a draft product is not public"
    ),
    f"PATCH {V}/commerce/products/{{product_id}}": obj(product_id="product.public_id"),
    f"POST {V}/commerce/products/{{product_id}}/images": obj(product_id="product.public_id", files={"image": "jpeg"}),
    f"POST {V}/commerce/products/{{product_id}}/variants": obj(product_id="product.public_id"),
    f"PATCH {V}/commerce/variants/{{variant_id}}": obj(variant_id="variant.public_id"),
    f"POST {V}/commerce/stores/{{store_id}}/categories": obj(store_id="store.public_id"),
    f"GET {V}/commerce/stores/{{store_id}}/coupons": obj(store_id="store.public_id"),
    f"POST {V}/commerce/stores/{{store_id}}/coupons": obj(store_id="store.public_id"),
    f"GET {V}/commerce/cart": Exempt(OWN),
    f"POST {V}/commerce/cart/lines": Exempt(PUBLIC, "adds a public product to the caller's own cart"),
    f"PATCH {V}/commerce/cart/lines/{{line_id}}": obj(line_id="cart_line.public_id", body={"quantity": 3}),
    f"DELETE {V}/commerce/cart/lines/{{line_id}}": obj(line_id="cart_line.public_id"),
    f"GET {V}/commerce/storefront/{{handle}}/age-challenge": Exempt(PUBLIC, "a nonce for the caller"),
    f"POST {V}/commerce/storefront/{{handle}}/quote": Exempt(OWN, "prices the caller's own cart"),
    f"POST {V}/commerce/storefront/{{handle}}/checkout": Exempt(OWN, "checks out the caller's own cart"),
    f"GET {V}/commerce/orders": Exempt(OWN),
    f"GET {V}/commerce/orders/{{order_id}}": obj(order_id="order.public_id"),
    f"POST {V}/commerce/orders/{{order_id}}/payment/confirm": obj(order_id="order.public_id"),
    f"POST {V}/commerce/orders/{{order_id}}/cancel": obj(order_id="order.public_id"),
    f"POST {V}/commerce/orders/{{order_id}}/confirm": obj(order_id="order.public_id"),
    f"POST {V}/commerce/orders/{{order_id}}/returns": obj(order_id="order.public_id"),
    f"POST {V}/commerce/order-lines/{{line_id}}/review": obj(
        line_id="order_line.public_id", body={"rating": 5, "body": "좋아요"}
    ),
    f"GET {V}/commerce/stores/{{store_id}}/orders": obj(store_id="store.public_id"),
    f"GET {V}/commerce/stores/{{store_id}}/orders.csv": obj(store_id="store.public_id"),
    f"POST {V}/commerce/stores/{{store_id}}/orders/bulk-prepare": obj(
        store_id="store.public_id", body={"order_ids": ["@order.public_id"]}
    ),
    f"POST {V}/commerce/stores/{{store_id}}/orders/bulk-ship": obj(store_id="store.public_id"),
    f"POST {V}/commerce/orders/{{order_id}}/prepare": obj(order_id="order.public_id"),
    f"POST {V}/commerce/orders/{{order_id}}/ship": obj(order_id="order.public_id"),
    f"POST {V}/commerce/orders/{{order_id}}/deliver": obj(order_id="order.public_id"),
    f"POST {V}/commerce/orders/{{order_id}}/store-cancel": obj(order_id="order.public_id"),
    f"POST {V}/commerce/orders/{{order_id}}/refund": obj(
        order_id="order.public_id", body={"amount": 100, "reason": "B"}
    ),
    f"POST {V}/commerce/returns/{{return_id}}/decide": obj(return_id="return_request.public_id"),
    # --- insights -----------------------------------------------------------------------------
    f"GET {V}/insights/partners": Exempt(OWN),
    f"GET {V}/insights/partners/{{ref}}/dashboard": obj(ref="insights_ref"),
    f"GET {V}/insights/partners/{{ref}}/metrics/{{metric}}": obj(ref="insights_ref", metric="insights_metric"),
    f"GET {V}/insights/partners/{{ref}}/customers": obj(ref="insights_ref"),
    f"GET {V}/insights/partners/{{ref}}/export": obj(ref="insights_ref"),
    f"POST {V}/insights/beacon": Exempt(PUBLIC, "anonymous first-party page-view beacon"),
    # --- contributions ------------------------------------------------------------------------
    f"POST {V}/contributions": Exempt(OWN),
    f"GET {V}/contributions": Exempt(OWN),
    f"POST {V}/contributions/upload": Exempt(OWN),
    f"GET {V}/contributions/{{contribution_id}}": obj(contribution_id="contribution.public_id"),
    f"POST {V}/contributions/reports": Exempt(PUBLIC, "anyone may report published text for takedown"),
    f"GET {V}/contributions/reports": Exempt(OWN, "operators only"),
    f"POST {V}/contributions/reports/{{report_id}}/decision": obj(
        report_id="takedown.public_id", body={"decision": "remove"}, expect=OPERATOR
    ),
    f"GET {V}/contributions/statements": Exempt(OWN, "the caller's own revenue statements"),
    f"GET {V}/contributions/statements/csv": Exempt(OWN, "the caller's own revenue statements"),
    f"GET {V}/contributions/statements/{{statement_id}}": obj(statement_id="commons_statement.public_id"),
    f"GET {V}/contributions/statements/{{statement_id}}/csv": obj(statement_id="commons_statement.public_id"),
    f"GET {V}/contributions/distributions": obj(expect=OPERATOR, why="operators only"),
    f"POST {V}/contributions/distributions": obj(
        body={"period": "2026-09"}, expect=OPERATOR, why="operators only; nothing distributed"
    ),
    f"GET {V}/contributions/snapshots": Exempt(PUBLIC, "published dataset snapshots"),
    f"GET {V}/contributions/snapshots/{{root}}/manifest": Exempt(PUBLIC, "a published snapshot"),
    f"GET {V}/contributions/snapshots/{{root}}/documents.jsonl": Exempt(PUBLIC, "a published snapshot"),
    f"GET {V}/contributions/snapshots/{{root}}/documents.parquet": Exempt(PUBLIC, "a published snapshot"),
    # --- the API's own pages ------------------------------------------------------------------
    "api/v1/openapi.json": Exempt(STATIC),
    "api/v1/docs": Exempt(STATIC),
    "api/v1/": Exempt(STATIC, "the API root"),
}

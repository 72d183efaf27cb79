"""HTML pages: B signed in with a browser session, A's ids in the path (or the form)."""

from __future__ import annotations

from sangsaeng.core.tests.authz.entries import AUTH, CAPABILITY, OWN, PUBLIC, STATIC, Exempt, Obj, obj

GET, POST, BOTH = ("GET",), ("POST",), ("GET", "POST")
STAFF = (302, 403, 404)  # operator pages refuse a non-operator (403, or a 404 that names nothing)
ZERO = "00000000-0000-4000-8000-000000000000"

PAGES = {
    "": Exempt(PUBLIC, "the home page"),
    "healthz": Exempt(PUBLIC, "healthz"),
    "i18n/setlang/": Exempt(STATIC),
    # --- settings -----------------------------------------------------------------------------
    "settings/": Exempt(OWN),
    "settings/addresses/": Exempt(OWN),
    "settings/addresses/<uuid:address_id>/default": obj(POST, address_id="address.public_id"),
    "settings/addresses/<uuid:address_id>/delete": obj(POST, address_id="address.public_id"),
    "settings/tokens/": Exempt(OWN),
    "settings/tokens/<uuid:token_id>/revoke": obj(POST, token_id="token.public_id"),
    "settings/sessions/": Exempt(OWN),
    "settings/sessions/<int:session_id>/revoke": obj(POST, session_id="session.pk"),
    "settings/security/": Exempt(OWN),
    "settings/delete/": Exempt(OWN, "deletes the caller's own account"),
    # --- sync (the user's connections, a partner's apps) --------------------------------------
    "sync/": Exempt(OWN),
    "sync/<uuid:link_id>/withdraw": obj(POST, link_id="link.public_id"),
    "sync/<uuid:link_id>/unlink": obj(POST, link_id="link.public_id"),
    "sync/apps/": Exempt(OWN),
    "sync/apps/<uuid:partner_id>/": obj(BOTH, partner_id="partner.public_id"),
    "sync/apps/<uuid:partner_id>/terms": obj(POST, partner_id="partner.public_id"),
    "sync/apps/<uuid:partner_id>/terms/<uuid:term_id>/delete": obj(
        POST, partner_id="partner.public_id", term_id="term.public_id"
    ),
    "sync/apps/<uuid:partner_id>/webhook": obj(POST, partner_id="partner.public_id"),
    # --- vault settings -----------------------------------------------------------------------
    "vault/settings/": Exempt(OWN),
    "vault/settings/signup": Exempt(OWN),
    "vault/settings/devices/<str:device_id>/revoke": obj(POST, device_id="vault_device.public_id"),
    "vault/settings/devices/sign-out": Exempt(OWN),
    "vault/settings/delete": Exempt(OWN),
    # --- drawer -------------------------------------------------------------------------------
    "drawer/": Exempt(OWN),
    "drawer/favourites/": Exempt(OWN),
    "drawer/upload": Exempt(OWN),
    "drawer/trash/": Exempt(OWN),
    "drawer/albums/": Exempt(OWN),
    "drawer/albums/<str:album_id>/": obj(GET, album_id="album.public_id"),
    "drawer/items/<str:item_id>/": obj(GET, item_id="item.public_id"),
    "drawer/items/<str:item_id>/file/<str:rendition>": obj(GET, item_id="item.public_id", rendition="=original"),
    "drawer/items/<str:item_id>/favourite": obj(POST, item_id="item.public_id"),
    "drawer/items/<str:item_id>/trash": obj(POST, item_id="item.public_id"),
    "drawer/items/<str:item_id>/restore": obj(POST, item_id="trashed_item.public_id"),
    "drawer/items/<str:item_id>/purge": obj(POST, item_id="trashed_item.public_id"),
    "drawer/items/<str:item_id>/album": obj(POST, item_id="item.public_id", body={"album": "@album.public_id"}),
    "drawer/items/<str:item_id>/album/remove": obj(POST, item_id="item.public_id", body={"album": "@album.public_id"}),
    "drawer/shares/": obj(POST, body={"item": "@item.public_id"}, why="shares A's item named in the form"),
    "drawer/shares/<str:share_id>/revoke": obj(POST, share_id="share.public_id"),
    "drawer/devices/": Exempt(OWN),
    "drawer/devices/<str:password_id>/revoke": obj(POST, password_id="app_password.public_id"),
    "drawer/s/<str:token>/": Exempt(CAPABILITY),
    "drawer/s/<str:token>/<str:item_id>/<str:rendition>": obj(
        GET,
        token="share.token",
        item_id="other_item.public_id",
        rendition="=original",
        why="a share link reaches only what it shares, not A's other items",
    ),
    # --- identity -----------------------------------------------------------------------------
    "identity/": Exempt(OWN),
    "identity/credentials/issue": Exempt(OWN),
    "identity/credentials/<uuid:credential_id>/revoke": obj(POST, credential_id="credential.public_id"),
    "identity/document/": Exempt(OWN),
    "identity/phone/": Exempt(OWN),
    "identity/review/": obj(GET, expect=STAFF, why="operators' review queue"),
    "identity/review/<uuid:review_id>/": obj(BOTH, review_id="review.public_id", expect=STAFF),
    "identity/review/<uuid:review_id>/document": obj(GET, review_id="review.public_id", expect=STAFF),
    "identity/.well-known/jwks.json": Exempt(STATIC),
    "identity/status/1": Exempt(STATIC, "the public status list of credentials"),
    ".well-known/jwt-vc-issuer": Exempt(STATIC),
    ".well-known/jwks.json": Exempt(STATIC),
    # --- business cards -----------------------------------------------------------------------
    "cards/": Exempt(OWN),
    "cards/new/": Exempt(OWN),
    "cards/<uuid:card_id>/": obj(BOTH, card_id="card.public_id"),
    "cards/<uuid:card_id>/delete": obj(POST, card_id="card.public_id"),
    "cards/<uuid:card_id>/company": obj(POST, card_id="card.public_id"),
    "cards/p/<uuid:card_id>/": Exempt(PUBLIC, "a card is published at its link"),
    "cards/p/<uuid:card_id>/qr.svg": Exempt(PUBLIC, "a published card's QR"),
    "cards/p/<uuid:card_id>/card.vcf": Exempt(PUBLIC, "a published card's vCard"),
    "cards/p/<uuid:card_id>/photo": Exempt(PUBLIC, "a published card's photo"),
    "cards/p/<uuid:card_id>/signed": Exempt(PUBLIC, "a published card's signed form"),
    "cards/p/<uuid:card_id>/save": Exempt(OWN, "saves a published card into the caller's own book"),
    "cards/book/": Exempt(OWN),
    "cards/book/export.vcf": Exempt(OWN),
    "cards/book/export.csv": Exempt(OWN),
    "cards/book/<uuid:entry_id>/": obj(BOTH, entry_id="book_entry.public_id"),
    "cards/book/<uuid:entry_id>/delete": obj(POST, entry_id="book_entry.public_id"),
    # --- chain --------------------------------------------------------------------------------
    "chain/": Exempt(OWN, "the caller's own wallet"),
    "chain/tx/<str:tx_id>": Exempt(PUBLIC, "an outbox transaction is public by id, as the chain itself is"),
    "chain/tokens/<str:contract>/<int:token_id>": Exempt(PUBLIC, "a token's owner and history are public on chain"),
    # --- stores -------------------------------------------------------------------------------
    "store/cart/": Exempt(OWN),
    "store/cart/<uuid:line_id>/": obj(POST, line_id="cart_line.public_id", body={"quantity": "3"}),
    "store/orders/": Exempt(OWN),
    "store/orders/<uuid:order_id>/": obj(GET, order_id="order.public_id"),
    "store/orders/<uuid:order_id>/action": obj(POST, order_id="order.public_id", body={"action": "cancel"}),
    "store/admin/": Exempt(OWN, "the stores of the caller's channels"),
    "store/admin/open": obj(POST, body={"channel": "@channel.public_id"}, why="opens a store on A's channel"),
    "store/admin/<uuid:store_id>/": obj(BOTH, store_id="store.public_id"),
    "store/admin/<uuid:store_id>/products/<uuid:product_id>/": obj(
        BOTH, store_id="store.public_id", product_id="product.public_id"
    ),
    "store/admin/<uuid:store_id>/coupons/": obj(BOTH, store_id="store.public_id"),
    "store/admin/<uuid:store_id>/orders/": obj(GET, store_id="store.public_id"),
    "store/admin/<uuid:store_id>/orders.csv": obj(GET, store_id="store.public_id"),
    "store/admin/<uuid:store_id>/orders/<uuid:order_id>/": obj(
        BOTH, store_id="store.public_id", order_id="order.public_id"
    ),
    "store/<str:handle>/": Exempt(PUBLIC, "a store's front"),
    "store/<str:handle>/p/<uuid:product_id>/": obj(
        GET, handle="channel.handle", product_id="draft_product.public_id", why="a draft product is not public"
    ),
    "store/<str:handle>/checkout/": Exempt(OWN, "checks out the caller's own cart"),
    # --- channels -----------------------------------------------------------------------------
    "c/": Exempt(OWN, "the caller's own feed"),
    "c/<str:handle>/": Exempt(PUBLIC, "a channel's public page"),
    "c/<str:handle>/logo": Exempt(PUBLIC, "a channel's logo"),
    "c/<str:handle>/cover": Exempt(PUBLIC, "a channel's cover"),
    "c/<str:handle>/follow": Exempt(OWN, "the caller's own follow of a public channel"),
    "c/<str:handle>/consents": Exempt(OWN, "the caller's own consents"),
    "c/<str:handle>/chat": Exempt(OWN, "opens the caller's own chat with a public channel"),
    "c/<str:handle>/verify": obj(POST, handle="channel.handle", expect=STAFF),
    "c/<str:handle>/p/<uuid:post_id>/": obj(
        GET, handle="channel.handle", post_id="broadcast.public_id", why="a scheduled post is not public yet"
    ),
    "c/<str:handle>/p/<uuid:post_id>/image/<int:position>": obj(
        GET, handle="channel.handle", post_id="broadcast.public_id", position="=0"
    ),
    "c/<str:handle>/p/<uuid:post_id>/go/<int:index>": obj(
        GET, handle="channel.handle", post_id="broadcast.public_id", index="=0"
    ),
    "partners/": Exempt(OWN, "the caller's channels"),
    "partners/<uuid:channel_id>/": obj(BOTH, channel_id="channel.public_id"),
    "partners/<uuid:channel_id>/staff/": obj(BOTH, channel_id="channel.public_id", body={"email": "b@example.com"}),
    "partners/<uuid:channel_id>/staff/<uuid:staff_id>/remove": obj(
        POST, channel_id="channel.public_id", staff_id="staff.public_id"
    ),
    "partners/<uuid:channel_id>/broadcasts/": obj(BOTH, channel_id="channel.public_id", body={"text": "B"}),
    "partners/<uuid:channel_id>/broadcasts/<uuid:broadcast_id>/": obj(
        GET, channel_id="channel.public_id", broadcast_id="broadcast.public_id"
    ),
    "partners/<uuid:channel_id>/broadcasts/<uuid:broadcast_id>/cancel": obj(
        POST, channel_id="channel.public_id", broadcast_id="broadcast.public_id"
    ),
    "partners/<uuid:channel_id>/inbox/": obj(GET, channel_id="channel.public_id"),
    "partners/<uuid:channel_id>/inbox/<uuid:thread_id>/": obj(
        BOTH, channel_id="channel.public_id", thread_id="thread.public_id", body={"text": "B"}
    ),
    # --- chat ---------------------------------------------------------------------------------
    "chat/": Exempt(OWN),
    "chat/new/direct": Exempt(OWN),
    "chat/new/group": Exempt(OWN),
    "chat/c/<uuid:conversation_id>/": obj(BOTH, conversation_id="conversation.public_id", body={"text": "B"}),
    "chat/c/<uuid:conversation_id>/invite": obj(
        POST, conversation_id="conversation.public_id", body={"user": "b@example.com"}
    ),
    "chat/c/<uuid:conversation_id>/leave": obj(POST, conversation_id="conversation.public_id"),
    "chat/m/<uuid:message_id>/media": obj(GET, message_id="media_message.public_id"),
    "chat/links/": Exempt(OWN),
    "chat/backup/": Exempt(OWN),
    "chat/blocks/": Exempt(OWN),
    "chat/reports/": obj(GET, expect=STAFF, why="operators' report queue"),
    # --- pay ----------------------------------------------------------------------------------
    "pay/": Exempt(OWN),
    "pay/topup": Exempt(OWN),
    "pay/checkout/<uuid:payment_id>/": obj(BOTH, payment_id="payment.public_id"),
    "pay/checkout/<uuid:payment_id>/test": obj(POST, payment_id="payment.public_id"),
    "pay/toss/success": obj(
        GET,
        body={"orderId": "@pending_payment.public_id", "paymentKey": "pk", "amount": "1000"},
        why="Toss's redirect names A's payment in the query",
    ),
    "pay/toss/fail": obj(GET, body={"orderId": "@pending_payment.public_id", "code": "USER_CANCEL"}),
    "pay/settlements/": Exempt(OWN),
    "pay/settlements/<uuid:statement_id>/": obj(GET, statement_id="statement.public_id"),
    "pay/operator/": obj(GET, expect=STAFF),
    "pay/operator/deposits/<uuid:deposit_id>/assign": obj(POST, deposit_id="=" + ZERO, expect=STAFF),
    "pay/operator/payouts.csv": obj(GET, expect=STAFF),
    # --- search -------------------------------------------------------------------------------
    "search/": Exempt(OWN, "searches public content and the caller's own"),
    "search/synonyms/": obj(BOTH, expect=STAFF, why="operators edit synonyms"),
    "search/synonyms/<uuid:group_id>/delete": obj(POST, group_id="synonym.public_id", expect=STAFF),
    # --- authenticity -------------------------------------------------------------------------
    "authenticity/": Exempt(OWN),
    "authenticity/claim": Exempt(CAPABILITY, "claims by the secret printed with the product"),
    "authenticity/claim/<int:token_id>": obj(
        POST, token_id="passport.token_id", body={"secret": "wrong"}, expect=(400, 403, 404, 409, 422)
    ),
    "authenticity/mine/<int:token_id>/<str:action>": obj(
        POST, token_id="owned_passport.token_id", action="=report", body={"state": "stolen"}
    ),
    "authenticity/t/<str:code>.svg": Exempt(CAPABILITY, "a label's QR by its code"),
    "authenticity/t/<str:code>": Exempt(PUBLIC, "anyone verifies a label"),
    "authenticity/n/<str:code>": Exempt(PUBLIC, "anyone verifies a tag tap"),
    "authenticity/p/<int:token_id>.json": Exempt(PUBLIC, "a passport's public record"),
    "authenticity/p/<int:token_id>": Exempt(PUBLIC, "a passport's public record"),
    "authenticity/brands/": Exempt(OWN),
    "authenticity/brands/<slug:slug>/": obj(GET, slug="brand.slug"),
    "authenticity/brands/<slug:slug>/issue": obj(POST, slug="brand.slug"),
    "authenticity/brands/<slug:slug>/batch": obj(POST, slug="brand.slug"),
    "authenticity/brands/<slug:slug>/tags": obj(POST, slug="brand.slug", body={"count": "1"}),
    "authenticity/brands/<slug:slug>/attach": obj(POST, slug="brand.slug"),
    "authenticity/brands/<slug:slug>/recover/<int:token_id>": obj(
        POST, slug="brand.slug", token_id="passport.token_id"
    ),
    "authenticity/brands/<slug:slug>/label/<int:token_id>": obj(GET, slug="brand.slug", token_id="passport.token_id"),
    "authenticity/operator/brands": obj(BOTH, expect=STAFF),
    # --- drops --------------------------------------------------------------------------------
    "drops/": Exempt(PUBLIC, "published drops"),
    "drops/d/<uuid:drop_id>/": Exempt(PUBLIC, "a published drop"),
    "drops/d/<uuid:drop_id>/buy": Exempt(PUBLIC, "buying from a published drop is the point"),
    "drops/d/<uuid:drop_id>/bid": Exempt(PUBLIC, "bidding on a published auction is the point"),
    "drops/e/<uuid:edition_id>/": Exempt(PUBLIC, "an edition's public page (owner and provenance are on chain)"),
    "drops/e/<uuid:edition_id>/list": obj(POST, edition_id="edition.public_id", body={"price": "5000"}),
    "drops/e/<uuid:edition_id>/withdraw": obj(POST, edition_id="edition.public_id"),
    "drops/l/<uuid:listing_id>/buy": Exempt(PUBLIC, "buying a listing on the public market is the point"),
    "drops/l/<uuid:listing_id>/cancel": obj(POST, listing_id="listing.public_id"),
    "drops/artworks/<uuid:artwork_id>/preview": Exempt(PUBLIC, "a published artwork's preview"),
    "drops/artworks/<uuid:artwork_id>/original": obj(GET, artwork_id="artwork.public_id"),
    "drops/c/<uuid:creator_id>/": Exempt(PUBLIC, "a creator's public page"),
    "drops/me/": Exempt(OWN),
    "drops/market/": Exempt(PUBLIC, "the public market"),
    "drops/studio/": Exempt(OWN, "the caller's own studio"),
    "drops/curation/": obj(BOTH, expect=STAFF),
    # --- assistant ----------------------------------------------------------------------------
    "assistant/": Exempt(OWN),
    "assistant/forget": Exempt(OWN),
    "assistant/retention": Exempt(OWN),
    "assistant/chat": Exempt(OWN),
    "assistant/actions/<uuid:action_id>/confirm": obj(POST, action_id="action.public_id"),
    "assistant/actions/<uuid:action_id>/cancel": obj(POST, action_id="action.public_id"),
    # --- language model console ---------------------------------------------------------------
    "lm/": Exempt(OWN),
    "lm/generate": Exempt(OWN),
    "lm/keys/": Exempt(OWN),
    "lm/keys/new": Exempt(OWN),
    "lm/keys/<uuid:key_id>/revoke": obj(POST, key_id="lm_key.key.public_id"),
    "lm/usage/": Exempt(OWN),
    # --- commons ------------------------------------------------------------------------------
    "commons/": Exempt(OWN, "the caller's contributions and the public snapshots"),
    "commons/<uuid:contribution_id>/": obj(GET, contribution_id="contribution.public_id"),
    "commons/<uuid:contribution_id>/report/": Exempt(PUBLIC, "anyone may report published text for takedown"),
    "commons/operator/": obj(BOTH, expect=STAFF),
    "commons/earnings/": Exempt(OWN, "the caller's own revenue statements"),
    "commons/earnings/statements.csv": Exempt(OWN, "the caller's own revenue statements"),
    "commons/earnings/<uuid:statement_id>/": obj(GET, statement_id="commons_statement.public_id"),
    "commons/earnings/<uuid:statement_id>/statement.csv": obj(GET, statement_id="commons_statement.public_id"),
    "commons/snapshots/<str:root>/": Exempt(PUBLIC, "a published snapshot"),
    "commons/snapshots/<str:root>/<str:fmt>": Exempt(PUBLIC, "a published snapshot"),
    # --- insights -----------------------------------------------------------------------------
    "insights/": Exempt(OWN),
    "insights/<str:ref>/": obj(GET, ref="insights_ref"),
    "insights/<str:ref>/customers/": obj(GET, ref="insights_ref"),
    "insights/<str:ref>/customers.csv": obj(GET, ref="insights_ref"),
    "insights/<str:ref>/export.<str:fmt>": obj(GET, ref="insights_ref", fmt="=csv"),
}

ALLAUTH: dict[str, Exempt | Obj] = {
    route: Exempt(AUTH)
    for route in [
        "accounts/login/",
        "accounts/logout/",
        "accounts/inactive/",
        "accounts/signup/",
        "accounts/reauthenticate/",
        "accounts/reauthenticate/code/",
        "accounts/reauthenticate/code/confirm/",
        "accounts/email/",
        "accounts/confirm-email/",
        "accounts/password/change/",
        "accounts/password/set/",
        "accounts/password/reset/",
        "accounts/login/code/confirm/",
        "accounts/^confirm-email/(?P<key>[-:\\w]+)/$",
        "accounts/password/reset/key/done/",
        "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
        "accounts/password/reset/done/",
        "accounts/2fa/",
        "accounts/2fa/authenticate/",
        "accounts/2fa/reauthenticate/",
        "accounts/2fa/totp/activate/",
        "accounts/2fa/totp/deactivate/",
        "accounts/2fa/recovery-codes/",
        "accounts/2fa/recovery-codes/generate/",
        "accounts/2fa/recovery-codes/download/",
        "accounts/2fa/webauthn/",
        "accounts/2fa/webauthn/add/",
        "accounts/2fa/webauthn/reauthenticate/",
        "accounts/2fa/webauthn/login/",
        "accounts/sessions/",
    ]
}
ALLAUTH["accounts/2fa/webauthn/keys/<int:pk>/remove/"] = obj(BOTH, pk="webauthn_key.pk")
ALLAUTH["accounts/2fa/webauthn/keys/<int:pk>/edit/"] = obj(BOTH, pk="webauthn_key.pk")

from django.urls import path

from sangsaeng.commerce import admin_views, views

app_name = "commerce"

urlpatterns = [
    path("cart/", views.cart, name="cart"),
    path("cart/<uuid:line_id>/", views.cart_line, name="cart_line"),
    path("orders/", views.orders, name="orders"),
    path("orders/<uuid:order_id>/", views.order, name="order"),
    path("orders/<uuid:order_id>/action", views.order_action, name="order_action"),
    path("admin/", admin_views.home, name="admin_home"),
    path("admin/open", admin_views.store_open, name="admin_open"),
    path("admin/<uuid:store_id>/", admin_views.products, name="admin_products"),
    path("admin/<uuid:store_id>/products/<uuid:product_id>/", admin_views.product, name="admin_product"),
    path("admin/<uuid:store_id>/coupons/", admin_views.coupons, name="admin_coupons"),
    path("admin/<uuid:store_id>/orders/", admin_views.orders, name="admin_orders"),
    path("admin/<uuid:store_id>/orders.csv", admin_views.orders_csv, name="admin_orders_csv"),
    path("admin/<uuid:store_id>/orders/<uuid:order_id>/", admin_views.order, name="admin_order"),
    path("<str:handle>/", views.storefront, name="storefront"),
    path("<str:handle>/p/<uuid:product_id>/", views.product, name="product"),
    path("<str:handle>/checkout/", views.checkout, name="checkout"),
]

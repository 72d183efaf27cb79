/* Partner dashboard charts: Apache ECharts, served from this site (vendored at build time). */
(function () {
  "use strict";
  var node = document.getElementById("dashboard-data");
  if (!node || !window.echarts) { return; }
  var data = JSON.parse(node.textContent);
  var ko = (document.documentElement.lang || "ko").indexOf("en") !== 0;
  var t = function (k, e) { return ko ? k : e; };
  var brand = "#0f766e", soft = "#99d5cf", accent = "#f59e0b";
  var won = function (v) { return Number(v).toLocaleString("ko-KR") + (ko ? "원" : " KRW"); };
  var short = function (v) { return ko && v >= 10000 ? (v / 10000) + "만" : (v >= 1000 ? (v / 1000) + "k" : v); };
  var charts = [];
  function draw(id, option) {
    var el = document.getElementById(id);
    if (!el) { return; }
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    option.animation = false;
    chart.setOption(option);
    el.setAttribute("data-rendered", "1");
    charts.push(chart);
  }
  var days = data.sales_daily.map(function (d) { return d.day.slice(5); });
  draw("chart-sales", {
    tooltip: { trigger: "axis", valueFormatter: won },
    legend: { data: [t("이번 기간", "This period"), t("이전 기간", "Previous period")] },
    grid: { left: 64, right: 16, top: 36, bottom: 28 },
    xAxis: { type: "category", data: days },
    yAxis: { type: "value", axisLabel: { formatter: short } },
    series: [
      { name: t("이번 기간", "This period"), type: "line", smooth: true, areaStyle: { opacity: 0.15 }, color: brand,
        data: data.sales_daily.map(function (d) { return d.sales; }) },
      { name: t("이전 기간", "Previous period"), type: "line", smooth: true, lineStyle: { type: "dashed" }, color: soft,
        data: data.sales_daily_previous.map(function (d) { return d.sales; }) }
    ]
  });
  var labels = { sessions: t("방문 세션", "Sessions"), product_views: t("상품 조회", "Product views"),
    add_to_cart: t("장바구니", "Add to cart"), checkout: t("결제 시작", "Checkout"), paid: t("결제 완료", "Paid") };
  draw("chart-funnel", {
    tooltip: { trigger: "item" },
    series: [{ type: "funnel", sort: "none", left: "8%", width: "84%", top: 8, bottom: 8, gap: 2,
      label: { show: true, position: "inside", formatter: "{b}: {c}" }, color: [brand, "#14b8a6", "#5eead4", "#99f6e4", accent],
      data: data.funnel.map(function (s) { return { name: labels[s.step], value: s.sessions }; }) }]
  });
  draw("chart-followers", {
    tooltip: { trigger: "axis" },
    grid: { left: 48, right: 16, top: 16, bottom: 28 },
    xAxis: { type: "category", data: data.followers.map(function (d) { return d.day.slice(5); }) },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ type: "line", step: "end", color: brand, data: data.followers.map(function (d) { return d.followers; }) }]
  });
  var top = data.top_products.slice().reverse();
  draw("chart-products", {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: won },
    grid: { left: 120, right: 24, top: 8, bottom: 24 },
    xAxis: { type: "value", splitNumber: 3, axisLabel: { hideOverlap: true, formatter: short } },
    yAxis: { type: "category", data: top.map(function (p) { return p.title || p.product; }),
      axisLabel: { width: 110, overflow: "truncate" } },
    series: [{ type: "bar", color: brand, data: top.map(function (p) { return p.revenue; }) }]
  });
  var heat = [], cohorts = data.cohorts.map(function (c) { return c.cohort; });
  data.cohorts.forEach(function (c, y) { c.retention.forEach(function (v, x) { heat.push([x, y, Math.round(v * 100)]); }); });
  draw("chart-cohorts", {
    tooltip: { formatter: function (p) { return cohorts[p.value[1]] + " +" + p.value[0] + ": " + p.value[2] + "%"; } },
    grid: { left: 72, right: 16, top: 8, bottom: 40 },
    xAxis: { type: "category", data: ["+0", "+1", "+2", "+3", "+4", "+5"] },
    yAxis: { type: "category", data: cohorts },
    visualMap: { min: 0, max: 100, show: false, inRange: { color: ["#f0fdfa", brand] } },
    series: [{ type: "heatmap", data: heat, label: { show: true, formatter: function (p) { return p.value[2] + "%"; } } }]
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
}());

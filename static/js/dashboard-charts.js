// Dashboard charts (Apache ECharts, served from static/vendor). The numbers come from the
// page's JSON data block and are also shown in accessible tables under each chart: every chart
// draws every value its table holds, also a single month, and fits a 360 px phone.
(function () {
  var source = document.getElementById("chart-data");
  if (!source || typeof echarts === "undefined") return;
  var data = JSON.parse(source.textContent);
  var red = "#b71c1c", green = "#1b7f3b", blue = "#3659a8";
  var charts = [];
  var narrow = function (el) { return el.clientWidth < 480; };

  var trend = document.getElementById("trend-chart");
  if (trend) {
    var trendChart = echarts.init(trend);
    trendChart.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 8, right: 12, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.trends.weeks, axisLabel: { hideOverlap: true } },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: data.labels.visits, type: "bar", data: data.trends.visits, itemStyle: { color: green } },
        { name: data.labels.received, type: "line", data: data.trends.received, showSymbol: true, itemStyle: { color: red } },
        { name: data.labels.closed, type: "line", data: data.trends.closed, showSymbol: true, itemStyle: { color: blue } }
      ]
    });
    charts.push(trendChart);
  }
  var rates = document.getElementById("rates-chart");
  if (rates && data.months) {
    // Bars, not lines: a month with a rate shows even when the months around it have none
    // (a line needs two points); a month without follow-ups shows no bar and "—".
    var ratesChart = echarts.init(rates);
    var percentLabel = { show: true, position: "top", fontSize: 10,
      formatter: function (p) { return p.value === null || p.value === undefined ? "" : p.value + "%"; } };
    ratesChart.setOption({
      animation: false,
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null || v === undefined ? "—" : v + "%"; } },
      legend: { top: 0 },
      grid: { left: 8, right: 12, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.months, axisLabel: { hideOverlap: true } },
      yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      series: [
        { name: data.labels.composite, type: "bar", data: data.composite, label: percentLabel, itemStyle: { color: red } },
        { name: data.labels.satisfaction, type: "bar", data: data.satisfaction, label: percentLabel, itemStyle: { color: green } }
      ]
    });
    charts.push(ratesChart);
  }
  var categories = document.getElementById("category-chart");
  if (categories && data.categories && data.categories.length) {
    // Labels aligned to the chart's edges and wrapped, so that none is cut on a phone.
    var categoriesChart = echarts.init(categories);
    var pieOption = function () {
      var small = narrow(categories);
      return {
        animation: false,
        tooltip: { trigger: "item" },
        series: [{ type: "pie", radius: small ? ["25%", "50%"] : ["35%", "65%"], center: ["50%", "50%"],
          avoidLabelOverlap: true,
          label: { alignTo: "edge", edgeDistance: 4, minMargin: 2, formatter: "{b} {c}",
            width: small ? 72 : 140, overflow: "break", lineHeight: 14, fontSize: small ? 11 : 12 },
          labelLine: { length: 6, length2: 0, maxSurfaceAngle: 80 },
          labelLayout: { hideOverlap: false },
          data: data.categories.map(function (c) { return { name: c[0], value: c[1] }; }) }]
      };
    };
    categoriesChart.setOption(pieOption());
    categoriesChart.pieOption = pieOption;
    charts.push(categoriesChart);
  }
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) {
      if (chart.pieOption) chart.setOption(chart.pieOption());
      chart.resize();
    });
  });
  // Printing (A4): draw each chart for the page's width, so that none of it is cut off.
  var PRINT_WIDTH = 680;  // px: A4 (210 mm) less 12 mm margins on each side, at 96 dpi
  var fitPrint = function (printing) {
    charts.forEach(function (chart) {
      var el = chart.getDom();
      chart.resize(printing ? { width: Math.min(PRINT_WIDTH, el.clientWidth || PRINT_WIDTH),
                                height: el.clientHeight || 260 } : undefined);
    });
  };
  window.addEventListener("beforeprint", function () { fitPrint(true); });
  window.addEventListener("afterprint", function () { fitPrint(false); });
  if (window.matchMedia) {
    window.matchMedia("print").addEventListener("change", function (e) { fitPrint(e.matches); });
  }
  window.weiduCharts = charts;
})();

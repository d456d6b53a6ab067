// Times in the browser's own zone. The server renders every <time> in the zone of the person's profile (ViewerClock);
// this re-renders them in the zone the device is in, with the same short forms, and keeps the message log's day
// separators and sender groups right as messages arrive and older pages load above. Everything works without it.
(function () {
    "use strict";

    var groupingMs = 5 * 60 * 1000;
    var clock = { hour: "2-digit", minute: "2-digit" };
    var formats = {
        time: new Intl.DateTimeFormat(undefined, clock),
        date: new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short" }),
        dateYear: new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric" }),
        full: new Intl.DateTimeFormat(undefined, Object.assign({ day: "numeric", month: "short", year: "numeric" }, clock)),
        day: new Intl.DateTimeFormat(undefined, { weekday: "long", day: "numeric", month: "long" }),
        dayYear: new Intl.DateTimeFormat(undefined, { weekday: "long", day: "numeric", month: "long", year: "numeric" })
    };

    function pad(n) {
        return (n < 10 ? "0" : "") + n;
    }

    function dayKey(date) {
        return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate());
    }

    function daysAgo(n) {
        var date = new Date();
        date.setDate(date.getDate() - n);
        return dayKey(date);
    }

    function thisYear(date) {
        return date.getFullYear() === new Date().getFullYear();
    }

    // The same forms as ViewerClock.Format: messages and lists say only the time today; older messages add the date,
    // older list entries say only the date.
    function format(date, style) {
        var today = dayKey(date) === daysAgo(0);
        var dateText = (thisYear(date) ? formats.date : formats.dateYear).format(date);
        if (style === "full") {
            return formats.full.format(date);
        }
        if (today) {
            return formats.time.format(date);
        }
        return style === "list" ? dateText : dateText + ", " + formats.time.format(date);
    }

    function dayLabel(date) {
        var key = dayKey(date);
        if (key === daysAgo(0)) {
            return "Today";
        }
        if (key === daysAgo(1)) {
            return "Yesterday";
        }
        return (thisYear(date) ? formats.day : formats.dayYear).format(date);
    }

    function renderTimes(root) {
        root.querySelectorAll("time[datetime][data-time]").forEach(function (element) {
            var date = new Date(element.getAttribute("datetime"));
            if (isNaN(date.getTime())) {
                return;
            }
            var text = format(date, element.getAttribute("data-time"));
            if (element.textContent !== text) {
                element.textContent = text;
            }
        });
    }

    // The separator that belongs to a message sits right before it, or before the "New messages" divider before it.
    function separatorBefore(item) {
        var previous = item.previousElementSibling;
        if (previous && previous.classList.contains("unread-divider")) {
            previous = previous.previousElementSibling;
        }
        return previous && previous.classList.contains("day-separator") ? previous : null;
    }

    // Touches the DOM only where something is wrong, so a log the server already got right is left alone (and a
    // screen reader hears nothing new).
    function arrangeLog() {
        var log = document.getElementById("messages");
        if (!log) {
            return;
        }
        var kept = [];
        var previous = null;
        var previousDay = null;
        var afterDivider = false;
        log.querySelectorAll(".message, .unread-divider").forEach(function (item) {
            if (item.classList.contains("unread-divider")) {
                afterDivider = true;
                return;
            }
            var existing = separatorBefore(item);
            var time = item.querySelector(".message-meta time[datetime], .message-time time[datetime]");
            if (!time) {
                // A message open in the editor: keep what was there.
                if (existing) {
                    kept.push(existing);
                }
                previous = null;
                return;
            }
            var when = new Date(time.getAttribute("datetime"));
            var day = dayKey(when);
            if (day !== previousDay) {
                var label = dayLabel(when);
                if (!existing || existing.getAttribute("data-day") !== day) {
                    existing = document.createElement("h2");
                    existing.className = "day-separator";
                    existing.setAttribute("data-day", day);
                    var anchor = item.previousElementSibling && item.previousElementSibling.classList.contains("unread-divider")
                        ? item.previousElementSibling
                        : item;
                    anchor.parentNode.insertBefore(existing, anchor);
                }
                if (existing.textContent !== label) {
                    existing.textContent = label;
                }
                kept.push(existing);
            }
            var sender = item.getAttribute("data-sender");
            var continued = day === previousDay && !afterDivider && previous !== null && item.tagName === "ARTICLE"
                && !!sender && sender === previous.sender && when - previous.when <= groupingMs;
            item.classList.toggle("message-continued", continued);
            previous = item.tagName === "ARTICLE" ? { sender: sender, when: when } : null;
            previousDay = day;
            afterDivider = false;
        });
        log.querySelectorAll(".day-separator").forEach(function (separator) {
            if (kept.indexOf(separator) < 0) {
                separator.remove();
            }
        });
    }

    // One open message menu at a time; Escape or a click elsewhere closes it, Escape puts the focus back on it.
    function closeMenus(except) {
        document.querySelectorAll("details.message-menu[open]").forEach(function (menu) {
            if (menu !== except) {
                menu.open = false;
            }
        });
    }

    document.addEventListener("click", function (event) {
        closeMenus(event.target.closest ? event.target.closest("details.message-menu") : null);
    });
    document.addEventListener("keydown", function (event) {
        var menu = event.key === "Escape" && event.target.closest ? event.target.closest("details.message-menu[open]") : null;
        if (menu) {
            menu.open = false;
            menu.querySelector("summary").focus();
        }
    });

    function refresh() {
        renderTimes(document);
        arrangeLog();
    }

    var queued = false;
    function refreshSoon() {
        if (!queued) {
            queued = true;
            window.setTimeout(function () {
                queued = false;
                refresh();
            }, 0);
        }
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", refresh);
    } else {
        refresh();
    }
    document.addEventListener("htmx:afterSettle", refreshSoon);
    document.addEventListener("htmx:oobAfterSwap", refreshSoon);
})();

#!/usr/bin/env python3
"""Checks score-incidents.py's matching rules: python3 bench/test_score_incidents.py (standard library only)."""
import importlib.util
import os
import unittest

spec = importlib.util.spec_from_file_location("score", os.path.join(os.path.dirname(__file__), "score-incidents.py"))
score = importlib.util.module_from_spec(spec)
spec.loader.exec_module(score)

T = score.parse_time


def incident(ident, start, end, influencer):
    return {"id": ident, "start": T(start), "end": T(end) + 1, "kind": "k", "influencer": influencer.split("|"),
            "description": ""}


def anomaly(start, end, title, evidence="", **extra):
    a = {"windowStart": start, "windowEnd": end, "title": title, "evidence": [{"text": evidence}], **extra}
    a["_ws"], a["_we"] = T(start), T(end)
    a["_text"] = "\n".join(score.own_words(a))
    return a


class MatchingTest(unittest.TestCase):
    labels = [incident("brute", "2026-11-29T17:18:00Z", "2026-11-29T17:18:20Z", "127.0.0.200"),
              incident("outage", "2026-11-29T17:21:00Z", "2026-11-29T17:21:20Z", "127.0.0.1:18181|upstream")]

    def test_overlap_found_and_named_only_in_own_words(self):
        results, false = score.score(self.labels, [
            anomaly("2026-11-29T17:18:00Z", "2026-11-29T17:19:00Z", "150 x 401 from 127.0.0.200"),
            anomaly("2026-11-29T17:21:00Z", "2026-11-29T17:22:00Z", "502 burst", evidence="upstream 127.0.0.1:18181")],
            60)
        self.assertEqual([len(r["anomalies"]) for r in results], [1, 1])
        self.assertEqual([len(r["named"]) for r in results], [1, 0])  # evidence lines do not name
        self.assertEqual(false, [])

    def test_address_matches_whole(self):
        self.assertFalse(score.names("from 127.0.0.2000 and 127.0.0.20", "127.0.0.200"))
        self.assertTrue(score.names("client 127.0.0.200: 150 of 150", "127.0.0.200"))
        self.assertTrue(score.names("upstream 127.0.0.1:18181 refused", "127.0.0.1:18181"))
        self.assertTrue(score.names("GET /Admin/Login", "/admin/login"))

    def test_slack_takes_nearest_else_false_alarm(self):
        near = anomaly("2026-11-29T17:18:50Z", "2026-11-29T17:19:00Z", "x")   # 30 s after brute
        far = anomaly("2026-11-29T17:24:00Z", "2026-11-29T17:25:00Z", "y")    # > 60 s after outage
        results, false = score.score(self.labels, [near, far], 60)
        self.assertEqual([len(r["anomalies"]) for r in results], [1, 0])
        self.assertEqual(false, [far])
        results, false = score.score(self.labels, [near], 0)
        self.assertEqual(false, [near])

    def test_window_over_two_incidents_counts_for_both(self):
        wide = anomaly("2026-11-29T17:18:00Z", "2026-11-29T17:22:00Z", "z")
        results, false = score.score(self.labels, [wide], 60)
        self.assertEqual([len(r["anomalies"]) for r in results], [1, 1])


if __name__ == "__main__":
    unittest.main()

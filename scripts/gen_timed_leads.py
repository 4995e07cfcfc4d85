#!/usr/bin/env python3
"""Generates N leads for examples/timed (CSV on stdout), each event column
holding 0-5 `;`-separated timestamps (dates and RFC 3339) within 200 days
before 2026-11-30. Deterministic. Usage: scripts/gen_timed_leads.py N > leads.csv"""
import datetime
import random
import sys

random.seed(7)
BASE = 1796083200  # 2026-11-30T00:00:00Z


def stamps(n):
    out = []
    for _ in range(n):
        t = datetime.datetime.fromtimestamp(BASE - random.randint(0, 200 * 86400), datetime.timezone.utc)
        out.append(t.strftime("%Y-%m-%d") if random.random() < 0.5 else t.strftime("%Y-%m-%dT%H:%M:%SZ"))
    return ";".join(out)


n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
out = sys.stdout
out.write("id,is_b2b,employees,title,industry,demo_request,unsubscribe,"
          "web_visit,pricing_page_view,email_click,webinar_attended\n")
for i in range(1, n + 1):
    out.write(f"{i},{random.choice(['yes', 'no'])},{random.randint(1, 9000)},"
              f"{random.choice(['VP Sales', 'Director of IT', 'Engineer', 'CEO'])},"
              f"{random.choice(['Software', 'Finance', 'Retail', 'Other'])},"
              f"{random.randint(0, 1)},{int(random.random() < 0.05)},{stamps(random.randint(0, 5))},"
              f"{stamps(random.randint(0, 3))},{stamps(random.randint(0, 3))},{stamps(random.randint(0, 2))}\n")

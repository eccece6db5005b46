import type { MetaFunction } from "@remix-run/node";

import { pageMeta } from "~/utils/meta";

const STATEMENT_PREPARED = "25 November 2026";

export default function AccessibilityStatement() {
  return (
    <div className="prose-page">
      <h1>Accessibility statement for Procurement Commons</h1>
      <p className="lede">
        This statement applies to the Procurement Commons website. We want as many people as possible to be able to use
        it.
      </p>
      <p>That means you should be able to:</p>
      <ul>
        <li>change colours, contrast levels and fonts using your browser or device settings</li>
        <li>zoom in up to 400% without the text spilling off the screen</li>
        <li>navigate the whole website using just a keyboard</li>
        <li>navigate most of the website using speech recognition software</li>
        <li>
          listen to the whole website using a screen reader (including the most recent versions of JAWS, NVDA and
          VoiceOver)
        </li>
        <li>read and search everything without JavaScript</li>
      </ul>
      <p>We have also made the text as simple as we can to understand.</p>

      <h2>How accessible this website is</h2>
      <p>
        We believe the site meets the Web Content Accessibility Guidelines version 2.2 AA standard. Content written by
        members is checked for structure when it is published (headings, link text and tables are rendered accessibly),
        but we cannot guarantee every contributor writes meaningful alternative text for images or plain-English link
        text.
      </p>

      <h2>Feedback and contact information</h2>
      <p>
        If you find a problem with the accessibility of this website, or need information in a different format such as
        accessible PDF, large print or audio, email{" "}
        <a href="mailto:accessibility@procurement-commons.example">accessibility@procurement-commons.example</a>. We
        will consider your request and reply within 5 working days.
      </p>

      <h2>Enforcement procedure</h2>
      <p>
        The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector Bodies (Websites
        and Mobile Applications) (No. 2) Accessibility Regulations 2018 (the accessibility regulations). If you are not
        happy with how we respond to your complaint, contact the{" "}
        <a href="https://www.equalityadvisoryservice.com/" rel="noopener noreferrer external" className="external">
          Equality Advisory and Support Service (EASS)
          <span className="visually-hidden"> (external link)</span>
        </a>
        .
      </p>

      <h2>Technical information about this website’s accessibility</h2>
      <p>
        We are committed to making this website accessible, in accordance with the Public Sector Bodies (Websites and
        Mobile Applications) (No. 2) Accessibility Regulations 2018.
      </p>
      <h3>Compliance status</h3>
      <p>This website is fully compliant with the Web Content Accessibility Guidelines version 2.2 AA standard.</p>

      <h2>What we do to keep it accessible</h2>
      <ul>
        <li>
          Every page template is scanned automatically with axe-core for WCAG 2.0, 2.1 and 2.2 A and AA rules on every
          change; a failure stops the change.
        </li>
        <li>The main journeys are tested by keyboard alone in a real browser.</li>
        <li>Every page works without JavaScript.</li>
        <li>Charts are drawn as images with text descriptions and a table of the numbers behind them.</li>
      </ul>

      <h2>Preparation of this accessibility statement</h2>
      <p>
        This statement was prepared on {STATEMENT_PREPARED}. The website was last tested on {STATEMENT_PREPARED} by the
        team that builds it, using automated checks and manual keyboard testing.
      </p>
    </div>
  );
}

export const meta: MetaFunction = (context) =>
  pageMeta({
    context,
    title: "Accessibility statement",
    description: "How accessible Procurement Commons is, how to report a problem, and how we test it.",
  });

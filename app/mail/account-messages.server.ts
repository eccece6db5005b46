import { getEnv } from "~/env.server";

import { renderMail } from "./message.server";

// The messages about a member's account. They are not optional, so they carry no unsubscribe
// link, but each says why it was sent and what to do if the member did not ask for it.

const LONDON_TIME = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  dateStyle: "long",
  timeStyle: "short",
});

export function siteLink(pathAndQuery: string) {
  return `${getEnv().SITE_URL}${pathAndQuery}`;
}

function helpLinks() {
  return [
    { label: "Reset your password", href: siteLink("/forgot-password") },
    { label: "Contact us", href: siteLink("/contact") },
  ];
}

export function passwordResetMessage({ displayName, token }: { displayName: string; token: string }) {
  const href = siteLink(`/reset-password?token=${encodeURIComponent(token)}`);
  return renderMail({
    subject: "Reset your Procurement Commons password",
    preheader: "Use this link within 60 minutes to choose a new password.",
    heading: "Reset your password",
    blocks: [
      { type: "paragraph", text: `Hello ${displayName},` },
      {
        type: "paragraph",
        text: "Someone (we hope you) asked to reset the password for your Procurement Commons account. Follow this link to choose a new one. It works once, for 60 minutes.",
      },
      { type: "action", label: "Choose a new password", href },
      {
        type: "paragraph",
        text: "If you did not ask for this, you can ignore this email: your password stays as it is.",
      },
    ],
    reason:
      "You are getting this email because someone asked to reset the password of the Procurement Commons account that uses this address.",
    footerLinks: [{ label: "Contact us", href: siteLink("/contact") }],
  });
}

export function passwordChangedMessage({
  displayName,
  changedAt,
  how,
}: {
  displayName: string;
  changedAt: Date;
  how: "reset" | "changed";
}) {
  return renderMail({
    subject: "Your Procurement Commons password has been changed",
    heading: "Your password has been changed",
    blocks: [
      { type: "paragraph", text: `Hello ${displayName},` },
      {
        type: "paragraph",
        text: `The password for your Procurement Commons account was ${how === "reset" ? "reset using a link sent to this address" : "changed"} on ${LONDON_TIME.format(changedAt)} (UK time). ${how === "reset" ? "Every device and browser that was signed in has been signed out." : "Every other device and browser has been signed out."}`,
      },
      {
        type: "paragraph",
        text: "If this was you, there is nothing else to do. If it was not, reset your password straight away and tell us.",
      },
      { type: "action", label: "Reset your password", href: siteLink("/forgot-password") },
    ],
    reason:
      "You are getting this email because the password of your Procurement Commons account changed. We always tell you when it does.",
    footerLinks: helpLinks(),
  });
}

export function verifyEmailMessage({
  displayName,
  token,
  isChange,
}: {
  displayName: string;
  token: string;
  isChange: boolean;
}) {
  const href = siteLink(`/verify-email?token=${encodeURIComponent(token)}`);
  return renderMail({
    subject: isChange ? "Confirm your new email address" : "Confirm your email address for Procurement Commons",
    preheader: "Follow the link to confirm this address. It works for 24 hours.",
    heading: isChange ? "Confirm your new email address" : "Confirm your email address",
    blocks: [
      { type: "paragraph", text: `Hello ${displayName},` },
      {
        type: "paragraph",
        text: isChange
          ? "You asked to use this address for your Procurement Commons account. Follow the link to confirm it; until you do, we keep using your old address."
          : "Thank you for joining Procurement Commons. Follow the link to confirm this is your address. Until you do, you can read and draft, but not post.",
      },
      { type: "action", label: isChange ? "Confirm my new address" : "Confirm my email address", href },
      { type: "paragraph", text: "The link works for 24 hours. If you did not ask for this, ignore this email." },
    ],
    reason: isChange
      ? "You are getting this email because someone asked to change the address of a Procurement Commons account to this one."
      : "You are getting this email because someone created a Procurement Commons account with this address.",
    footerLinks: [{ label: "Contact us", href: siteLink("/contact") }],
  });
}

export function emailChangedMessage({ displayName, newEmail }: { displayName: string; newEmail: string }) {
  return renderMail({
    subject: "The email address of your Procurement Commons account has changed",
    heading: "Your email address has changed",
    blocks: [
      { type: "paragraph", text: `Hello ${displayName},` },
      {
        type: "paragraph",
        text: `Your Procurement Commons account now uses ${newEmail}. We will not send anything else to this address.`,
      },
      {
        type: "paragraph",
        text: "If you did not make this change, someone else may be using your account: contact us straight away.",
      },
      { type: "action", label: "Contact us", href: siteLink("/contact") },
    ],
    reason:
      "You are getting this email because this was the address of your Procurement Commons account until just now.",
    footerLinks: helpLinks(),
  });
}

/** Sent to an address someone tried to move their account to when another account already has it. */
export function emailInUseMessage() {
  return renderMail({
    subject: "Someone tried to use your email address on Procurement Commons",
    heading: "This address already has an account",
    blocks: [
      {
        type: "paragraph",
        text: "Someone signed in to Procurement Commons asked to change their account's email address to this one. This address already belongs to an account, so nothing has changed.",
      },
      {
        type: "paragraph",
        text: "If that was you, sign in to the account that uses this address instead. If you have forgotten its password, you can reset it.",
      },
      { type: "action", label: "Reset your password", href: siteLink("/forgot-password") },
    ],
    reason: "You are getting this email because someone entered this address on Procurement Commons.",
    footerLinks: [{ label: "Contact us", href: siteLink("/contact") }],
  });
}

/** Sent to the owner of an address someone entered on the sign-up form. */
export function signUpAttemptMessage({ displayName }: { displayName: string }) {
  return renderMail({
    subject: "Someone tried to create a Procurement Commons account with your address",
    heading: "You already have an account",
    blocks: [
      { type: "paragraph", text: `Hello ${displayName},` },
      {
        type: "paragraph",
        text: "Someone tried to create a new Procurement Commons account with this email address. It already belongs to your account, so no new account was made and nothing about yours has changed.",
      },
      {
        type: "paragraph",
        text: "If it was you, sign in instead. If you have forgotten your password, reset it. If it was not you, you can ignore this email.",
      },
      { type: "action", label: "Reset your password", href: siteLink("/forgot-password") },
    ],
    reason:
      "You are getting this email because this address was entered on the Procurement Commons sign-up form. We always tell you when it is.",
    footerLinks: [
      { label: "Sign in", href: siteLink("/sign-in") },
      { label: "Contact us", href: siteLink("/contact") },
    ],
  });
}

/** Sent when wrong passwords for an account pile up (app/models/account-alerts.server.ts). */
export function failedSignInsMessage({
  displayName,
  failures,
  windowMinutes,
}: {
  displayName: string;
  failures: number;
  windowMinutes: number;
}) {
  return renderMail({
    subject: "Wrong passwords were tried for your Procurement Commons account",
    heading: "Someone is trying to sign in as you",
    blocks: [
      { type: "paragraph", text: `Hello ${displayName},` },
      {
        type: "paragraph",
        text: `${failures} wrong passwords were tried for your Procurement Commons account in the last ${windowMinutes} minutes. Your own password still works: we slow further tries down rather than lock you out.`,
      },
      {
        type: "paragraph",
        text: "If it was you, there is nothing to do. If it was not, someone may know your email address and be guessing: choose a long password you use nowhere else, and sign out of your other sessions from your account page.",
      },
      { type: "action", label: "Reset your password", href: siteLink("/forgot-password") },
    ],
    reason:
      "You are getting this email because wrong passwords were tried for your account. Security messages like this are always sent: no setting turns them off.",
    footerLinks: helpLinks(),
  });
}

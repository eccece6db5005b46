import { z } from "zod";

import { passwordProblem } from "~/auth/password-policy.server";
import { ORGANISATION_TYPE_SLUGS, SIDE_SLUGS } from "~/models/vocabulary";

const optionalText = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: `${label} must be ${max} characters or fewer.` })
    .transform((value) => value || null)
    .optional()
    .transform((value) => value ?? null);

const optionalChoice = <T extends readonly [string, ...string[]]>(choices: T, message: string) =>
  z
    .union([z.literal(""), z.enum(choices, { error: message })], { error: message })
    .optional()
    .transform((value) => (value ? value : null));

export const EmailSchema = z
  .string({ error: "Enter your email address." })
  .trim()
  .toLowerCase()
  .min(1, { error: "Enter your email address." })
  .max(254, { error: "Enter an email address of 254 characters or fewer." })
  .pipe(z.email({ error: "Enter an email address in the right format, like name@example.gov.uk." }));

export const NewPasswordSchema = z
  .string({ error: "Enter a password." })
  .min(1, { error: "Enter a password." })
  .superRefine((password, context) => {
    const problem = passwordProblem(password);
    if (problem) context.addIssue({ code: "custom", message: problem });
  });

const DisplayNameSchema = z
  .string({ error: "Enter your name." })
  .trim()
  .min(1, { error: "Enter your name." })
  .max(80, { error: "Your name must be 80 characters or fewer." });

const ProfileFields = {
  displayName: DisplayNameSchema,
  organisation: optionalText("Organisation", 120),
  organisationType: optionalChoice(ORGANISATION_TYPE_SLUGS, "Choose an organisation type from the list."),
  jobRole: optionalText("Job role", 120),
  side: optionalChoice(SIDE_SLUGS, "Choose which side of the table you sit on from the list."),
};

export const SignUpSchema = z.object({
  ...ProfileFields,
  email: EmailSchema,
  password: NewPasswordSchema,
});
export type SignUpInput = z.output<typeof SignUpSchema>;

export const SignInSchema = z.object({
  email: EmailSchema,
  password: z.string({ error: "Enter your password." }).min(1, { error: "Enter your password." }).max(1024, {
    error: "The email address or password is not right.",
  }),
  redirectTo: z.string().optional(),
});

export const ProfileSchema = z.object({
  ...ProfileFields,
  bio: optionalText("About you", 1000),
});
export type ProfileInput = z.output<typeof ProfileSchema>;

export const ChangePasswordSchema = z
  .object({
    currentPassword: z
      .string({ error: "Enter your current password." })
      .min(1, { error: "Enter your current password." }),
    newPassword: NewPasswordSchema,
    confirmPassword: z.string().optional(),
  })
  .superRefine((form, context) => {
    if (form.confirmPassword !== form.newPassword) {
      context.addIssue({
        code: "custom",
        path: ["confirmPassword"],
        message: "The passwords do not match. Type the new password again.",
      });
    }
  });

export const DeleteAccountSchema = z.object({
  password: z.string({ error: "Enter your password to confirm." }).min(1, { error: "Enter your password to confirm." }),
  confirm: z.literal("yes", { error: "Tick the box to confirm you understand what deleting your account does." }),
});

/** The languages pages are written in. */
export type Lang = 'en' | 'nl';

const NL: Record<string, string> = {
  'Sign in': 'Inloggen',
  'Sign out': 'Uitloggen',
  'User name': 'Gebruikersnaam',
  Password: 'Wachtwoord',
  'Authenticator code (or recovery code)': 'Code uit de authenticator-app (of herstelcode)',
  'Invalid credentials.': 'Ongeldige inloggegevens.',
  'Set up two-factor sign-in': 'Tweestapsverificatie instellen',
  'Scan this code with an authenticator app, or type the key below, then enter the code it shows.':
    'Scan deze code met een authenticator-app, of typ de sleutel hieronder over, en vul de code in die de app toont.',
  Key: 'Sleutel',
  Code: 'Code',
  Confirm: 'Bevestigen',
  'Recovery codes': 'Herstelcodes',
  'Keep these codes somewhere safe; each works once instead of a code from the app.':
    'Bewaar deze codes op een veilige plek; elke code werkt één keer in plaats van een code uit de app.',
  Continue: 'Verder',
  'Choose a new password': 'Kies een nieuw wachtwoord',
  'Current password': 'Huidig wachtwoord',
  'New password': 'Nieuw wachtwoord',
  'Change password': 'Wachtwoord wijzigen',
  'Signed in as': 'Ingelogd als',
  'Session ends at': 'Sessie eindigt om',
  'or after idle until': 'of bij inactiviteit om',
  Home: 'Start',
  Services: 'Diensten',
  Alerts: 'Meldingen',
  Silences: 'Stiltes',
  Service: 'Dienst',
  Customer: 'Klant',
  Now: 'Nu',
  'Availability (month to date)': 'Beschikbaarheid (maand tot nu)',
  Objective: 'Doel',
  'Average latency': 'Gemiddelde responstijd',
  Target: 'Norm',
  Coverage: 'Dekking',
  'Coverage is the share of minutes this month with a probe result from enough locations (quorum); minutes without one count neither for nor against availability.':
    'Dekking is het deel van de minuten deze maand met een meetresultaat van genoeg locaties (quorum); minuten zonder tellen niet mee voor of tegen de beschikbaarheid.',
  'No services.': 'Geen diensten.',
  Filter: 'Filter',
  Previous: 'Vorige',
  Next: 'Volgende',
  Page: 'Pagina',
  of: 'van',
  Group: 'Groep',
  Labels: 'Labels',
  'Paged at': 'Gepaged om',
  Acknowledged: 'Bevestigd',
  Acknowledge: 'Bevestigen',
  'No open alert groups.': 'Geen open meldingsgroepen.',
  'New silence': 'Nieuwe stilte',
  Matchers: 'Matchers',
  'Ends at': 'Eindigt om',
  Comment: 'Toelichting',
  'Created by': 'Aangemaakt door',
  Create: 'Aanmaken',
  Expire: 'Beëindigen',
  State: 'Status',
  'No silences.': 'Geen stiltes.',
  'Duration (hours)': 'Duur (uren)',
  'You may use:': 'U kunt gebruiken:',
  Language: 'Taal',
  'Times in': 'Tijden in',
  Done: 'Gedaan',
  'The request was refused:': 'Het verzoek is geweigerd:',
  'Planned downtime': 'Gepland onderhoud',
  'Announce planned downtime': 'Gepland onderhoud aankondigen',
  'Start (RFC 3339)': 'Begin (RFC 3339)',
  'End (RFC 3339)': 'Einde (RFC 3339)',
  Reason: 'Reden',
  Announce: 'Aankondigen',
  Start: 'Begin',
  End: 'Einde',
  Announced: 'Aangekondigd',
  Notice: 'Aankondigingstermijn',
  'met: excluded': 'gehaald: uitgesloten',
  'too late: counted as downtime': 'te laat: telt als uitval',
  'Downtime announced at least the policy notice (default 12 h) ahead is excluded from availability; announced later, it counts.':
    'Onderhoud dat minstens de termijn van het beleid (standaard 12 uur) vooraf is aangekondigd, telt niet mee voor de beschikbaarheid; later aangekondigd telt het wel.',
  Report: 'Rapport',
  Downtime: 'Uitval',
  From: 'Van',
  To: 'Tot',
  Excluded: 'Uitgesloten',
  Kind: 'Soort',
  'Per day': 'Per dag',
  Day: 'Dag',
  Availability: 'Beschikbaarheid',
  'Analysis and scan runs': 'Analyse- en scanruns',
  Runs: 'Runs',
  Run: 'Run',
  Findings: 'Bevindingen',
  'Cadence (last 24 h, at least 4 runs)': 'Frequentie (laatste 24 uur, minstens 4 runs)',
  Analyzer: 'Analyse',
  Rule: 'Regel',
  met: 'gehaald',
  'not met': 'niet gehaald',
  Started: 'Gestart',
  Inputs: 'Invoer',
  Records: 'Records',
  'Bad records': 'Foute records',
  Reviewed: 'Beoordeeld',
  new: 'nieuw',
  triaged: 'beoordeeld',
  false_positive: 'vals positief',
  incident: 'incident',
  Triage: 'Beoordeling',
  Save: 'Opslaan',
  Severity: 'Ernst',
  Title: 'Titel',
  Detector: 'Detector',
  'Source → destination': 'Bron → bestemming',
  'Last seen': 'Laatst gezien',
  'Scheduled for': 'Gepland voor',
  Finished: 'Klaar',
  File: 'Bestand',
  Bytes: 'Bytes',
  Reviews: 'Beoordelingen',
  Note: 'Notitie',
  'Sign off': 'Aftekenen',
  'Availability per month': 'Beschikbaarheid per maand',
  'As the contract counts it: maintenance and downtime announced in time are excluded; downtime announced too late counts.':
    'Zoals het contract telt: onderhoud en tijdig aangekondigde uitval tellen niet mee; te laat aangekondigde uitval telt wel.',
  ahead: 'gepland',
  Badge: 'Badge',
  'Audit log': 'Auditlog',
  Verified: 'Geverifieerd',
  entries: 'regels',
  'signed checkpoints': 'ondertekende ijkpunten',
  'after the last checkpoint': 'na het laatste ijkpunt',
  'NOT verified': 'NIET geverifieerd',
  Time: 'Tijd',
  Who: 'Wie',
  Source: 'Bron',
  Action: 'Actie',
  Object: 'Object',
  Result: 'Resultaat',
};

/** A translator for one language: English text is the key, so a missing Dutch text shows English. */
export function translator(lang: Lang): (s: string) => string {
  return lang === 'nl' ? (s) => NL[s] ?? s : (s) => s;
}

/**
 * The page language: an explicit choice (`?lang=`, then the `vigil_lang` cookie the choice
 * sets), else the first of Accept-Language (RFC 9110 §12.5.4, by q-value) we speak; English.
 */
export function pickLang(
  query: string | undefined,
  cookie: string | undefined,
  accept: string | undefined,
): Lang {
  for (const c of [query, cookie]) if (c === 'nl' || c === 'en') return c;
  const ranked = (accept ?? '')
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag!.split('-')[0]!, q: q === undefined ? 1 : Number(q), i };
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  const hit = ranked.find((x) => x.tag === 'nl' || x.tag === 'en');
  return (hit?.tag as Lang | undefined) ?? 'en';
}

import type { RequestType } from '../../prisma/client.ts';
import type { Block, DateLike, Fact, MailContent, MailModel, RequestMailBase } from './templates.ts';

/**
 * The mails in Finnish, for a recipient who chose Finnish (User.locale). The same kinds, blocks
 * and facts as the English content in templates.ts, and the dates in Finnish style: 24.11.2026 klo
 * 16.00 (Europe/Helsinki), as the UI writes them.
 */

export const FINNISH_TYPE_NAMES: Record<RequestType, string> = {
  NEW_INSTALLATION: 'Uusi asennus',
  CHANNEL_EXPANSION: 'Kanavalaajennus',
  STOCK_ADDITION: 'Varastolisäys',
  UPGRADE: 'Päivitys',
  OWNERSHIP_CHANGE: 'Omistajanvaihdos',
  HARDWARE_REPLACEMENT: 'Laitteiston vaihto',
  RETURN_CONFIRMATION: 'Palautuksen vahvistus',
  PARTIAL_TRANSFER: 'Osittainen siirto',
  STOCK_RESHIP: 'Varastosiirto jälleenmyyjälle',
  SMA_RENEWAL: 'SMA:n uusinta',
};

export const FINNISH_FOOTER = {
  partner: 'Tämä on License Deskin automaattinen viesti. Kysymykset voit kirjoittaa pyynnön kommentteihin portaalissa.',
  desk: 'Tämä on License Deskin automaattinen viesti.',
  account: 'Tämä on License Deskin automaattinen viesti. Lisenssipalvelu ei koskaan kysy salasanaasi.',
} as const;

function toDate(value: DateLike): Date {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new Error(`Mail date must be a Date or an ISO 8601 string, got "${String(value)}"`);
  return date;
}

/** "24.11.2026 klo 16.00 (Europe/Helsinki)". */
export function finnishDateTime(value: DateLike, timeZone = 'UTC'): string {
  const text = new Intl.DateTimeFormat('fi-FI', { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(toDate(value));
  return `${text} (${timeZone})`;
}

/** "24.11.2026" in the given time zone. */
export function finnishDate(value: DateLike, timeZone = 'UTC'): string {
  return new Intl.DateTimeFormat('fi-FI', { timeZone, dateStyle: 'medium' }).format(toDate(value));
}

const number = (n: number) => new Intl.NumberFormat('fi-FI').format(n);
const channelsOf = (n: number) => `${number(n)} ${n === 1 ? 'kanava' : 'kanavaa'}`;
const licensesOf = (n: number) => `${number(n)} ${n === 1 ? 'lisenssi' : 'lisenssiä'}`;
const hoursOf = (n: number) => `${number(n)} ${n === 1 ? 'työtunti' : 'työtuntia'}`;

export function finnishContent(
  model: MailModel,
  {
    reference,
    requestUrl,
    licenseUrl,
    licensesUrl,
    stocksUrl,
    smaRenewalUrl,
  }: {
    reference: (n: number) => string;
    requestUrl: (publicUrl: string, id: string) => string;
    licenseUrl: (publicUrl: string, id: string) => string;
    licensesUrl: (publicUrl: string) => string;
    stocksUrl: (publicUrl: string) => string;
    smaRenewalUrl: (publicUrl: string, serials: string[]) => string;
  },
): MailContent {
  const tz = ('timeZone' in model && model.timeZone) || 'UTC';
  const at = (value: DateLike | undefined) => (value === undefined ? undefined : finnishDateTime(value, tz));
  const requestFacts = (m: RequestMailBase): Fact[] => [
    ['Pyyntö', reference(m.requestNumber)],
    ['Tyyppi', FINNISH_TYPE_NAMES[m.requestType]],
    ['Yritys', m.companyName],
  ];
  const openRequest = (m: RequestMailBase): Block => ({ link: { label: 'Avaa pyyntö', url: requestUrl(m.publicUrl, m.requestId) } });
  /** "pyyntösi LD-000042 (uusi asennus)" */
  const phrase = (m: RequestMailBase) => `${reference(m.requestNumber)} (${FINNISH_TYPE_NAMES[m.requestType].toLowerCase()})`;

  switch (model.kind) {
    case 'request_received': {
      const n = reference(model.requestNumber);
      return {
        audience: 'partner',
        subject: `${n} vastaanotettu: ${FINNISH_TYPE_NAMES[model.requestType]}, ${model.companyName}`,
        heading: `Olemme vastaanottaneet pyyntösi ${n}`,
        blocks: [
          {
            p: `Kiitos. Pyyntösi ${phrase(model)} on nyt lisenssipalvelun jonossa.${model.dueAt ? ` Pyrimme päättämään siitä viimeistään ${at(model.dueAt)}.` : ''}`,
          },
          { facts: [...requestFacts(model), ['Tuote', model.productName], ['Sarjanumero', model.serial], ['Kanavat', model.channels]] },
          { p: 'Lähetämme sähköpostia, kun pyynnöstä on päätetty tai jos tarvitsemme lisätietoja.' },
          openRequest(model),
        ],
      };
    }
    case 'information_requested': {
      const n = reference(model.requestNumber);
      return {
        audience: 'partner',
        subject: `${n} tarvitsee lisätietoja: ${FINNISH_TYPE_NAMES[model.requestType]}`,
        heading: `Pyyntö ${n} tarvitsee lisätietoja`,
        blocks: [
          { p: `Lisenssipalvelu tarvitsee lisätietoja ennen kuin se voi päättää pyynnöstäsi ${phrase(model)}.` },
          { quote: model.question, label: 'Lisenssipalvelun kysymys' },
          { p: `Vastaa portaalissa${model.respondBy ? ` viimeistään ${at(model.respondBy)}` : ''}. Pyyntö odottaa vastaustasi.` },
          { facts: requestFacts(model) },
          openRequest(model),
        ],
      };
    }
    case 'approved': {
      const n = reference(model.requestNumber);
      const blocks: Block[] = [
        { p: `Pyyntösi ${phrase(model)} on hyväksytty. Lisenssitiedosto ${model.fileName} on tämän viestin liitteenä.` },
        {
          facts: [
            ...requestFacts(model),
            ['Sarjanumero', model.serial],
            ['Tuote', model.productName],
            ['Kanavat', model.channels],
            ['VCA-kanavat', model.vcaChannels],
            ['Lukittu', model.lock],
            ['Versio', model.revision],
          ],
        },
      ];
      if (model.comment) blocks.push({ quote: model.comment, label: 'Lisenssipalvelun kommentti' });
      blocks.push(openRequest(model));
      if (model.licenseId) blocks.push({ link: { label: 'Avaa lisenssi', url: licenseUrl(model.publicUrl, model.licenseId) } });
      return { audience: 'partner', subject: `${n} hyväksytty: lisenssi ${model.serial}`, heading: `${n} hyväksytty: lisenssi ${model.serial}`, blocks };
    }
    case 'interim_license': {
      const n = reference(model.requestNumber);
      const blocks: Block[] = [
        {
          p:
            `Tämä on väliaikainen lisenssi uudelle laitteistollesi, voimassa ${at(model.validUntil)} asti: asenna liitteenä oleva ${model.fileName} nyt, niin työ jatkuu. ` +
            `Pyyntöäsi ${phrase(model)} ei ole vielä hyväksytty. Kun lisenssipalvelu hyväksyy sen aukioloaikana, lisenssi ${model.replacedSerial} siirtyy uudelle laitteistolle ja saat sen tiedoston.`,
        },
        {
          facts: [
            ...requestFacts(model),
            ['Väliaikainen sarjanumero', model.serial],
            ['Tuote', model.productName],
            ['Kanavat', model.channels],
            ['Lukittu', model.lock],
            ['Voimassa', at(model.validUntil)],
            ['Korvaa toistaiseksi', model.replacedSerial],
          ],
        },
        openRequest(model),
      ];
      if (model.licenseId) blocks.push({ link: { label: 'Avaa väliaikainen lisenssi', url: licenseUrl(model.publicUrl, model.licenseId) } });
      return {
        audience: 'partner',
        subject: `${n} väliaikainen lisenssi ${model.serial}, voimassa ${finnishDate(model.validUntil, tz)} asti (pyyntöä ei ole vielä hyväksytty)`,
        heading: `${n}: väliaikainen lisenssi ${model.serial}`,
        blocks,
      };
    }
    case 'rejected': {
      const n = reference(model.requestNumber);
      const blocks: Block[] = [{ p: `Pyyntösi ${phrase(model)} on hylätty.` }, { quote: model.reason, label: 'Perustelu' }];
      if (model.releasedChannels) blocks.push({ p: `Pyynnölle varatut ${channelsOf(model.releasedChannels)} palautettiin varastoosi.` });
      blocks.push({ p: 'Voit lähettää uuden pyynnön, kun yllä mainittu syy on korjattu.' }, { facts: requestFacts(model) }, openRequest(model));
      return { audience: 'partner', subject: `${n} hylätty: ${FINNISH_TYPE_NAMES[model.requestType]}`, heading: `${n} hylättiin`, blocks };
    }
    case 'reminder':
    case 'escalation': {
      const n = reference(model.requestNumber);
      const waiting = hoursOf(model.waitingBusinessHours);
      const waitingFor = model.waitingFor ?? 'lisenssipalvelun päätöstä';
      const escalated = model.kind === 'escalation';
      return {
        audience: 'desk',
        subject: escalated
          ? `${n} eskaloitu: ${FINNISH_TYPE_NAMES[model.requestType]}, ${model.companyName}, odottanut ${waiting}`
          : `${n} muistutus: ${FINNISH_TYPE_NAMES[model.requestType]}, ${model.companyName}, odottanut ${waiting}`,
        heading: escalated ? `Eskalointi: ${n} on odottanut ${waiting}` : `Muistutus: ${n} on odottanut ${waiting}`,
        blocks: [
          {
            p: escalated
              ? `Yrityksen ${model.companyName} pyyntö ${phrase(model)} on odottanut ${waiting} (${waitingFor}), eivätkä muistutukset ole auttaneet. Anna se käsittelijälle tai päätä siitä nyt.`
              : `Yrityksen ${model.companyName} pyyntö ${phrase(model)} on odottanut ${waiting} (${waitingFor}).`,
          },
          { facts: [...requestFacts(model), ['Käsittelijä', model.assigneeName ?? 'Ei käsittelijää'], ['Määräaika', at(model.dueAt)]] },
          openRequest(model),
        ],
      };
    }
    case 'return_waiting_confirm': {
      const n = reference(model.requestNumber);
      const channels = channelsOf(model.channelsReturned);
      return {
        audience: 'partner',
        subject: `${n} palautus odottaa vahvistusta: ${channels}, lisenssi ${model.serial}`,
        heading: `Vahvista palautus: ${channels} (${n})`,
        blocks: [
          {
            p: `Lisenssistä ${model.serial} on myönnetty pienennetty lisenssi, jossa on ${channelsOf(model.remainingChannels)}${model.fileName ? `, ja ${model.fileName} on liitteenä` : ''}. Asenna se nykyisen lisenssin tilalle.`,
          },
          {
            p: `${channels} hyvitetään varastoosi vasta, kun vahvistat palautuksen: lataa pienennetyn asennuksen pyyntötiedosto tai paina pyynnöllä Vahvista viimeistään ${at(model.confirmBy)}. Jos palautusta ei vahvisteta siihen mennessä, se vanhenee eikä kanavia hyvitetä.`,
          },
          {
            facts: [
              ...requestFacts(model),
              ['Sarjanumero', model.serial],
              ['Tuote', model.productName],
              ['Palautetut kanavat', model.channelsReturned],
              ['Jäljelle jäävät kanavat', model.remainingChannels],
            ],
          },
          openRequest(model),
        ],
      };
    }
    case 'return_credited': {
      const n = reference(model.requestNumber);
      const channels = channelsOf(model.channelsReturned);
      return {
        audience: 'partner',
        subject: `${n} palautus vahvistettu: ${channels} hyvitetty varastoon`,
        heading: `Palautus vahvistettu: ${channels} hyvitetty (${n})`,
        blocks: [
          { p: `Lisenssin ${model.serial} palautus on vahvistettu, ja ${channels} tuotetta ${model.productName} on hyvitetty takaisin varastoosi.` },
          {
            facts: [
              ...requestFacts(model),
              ['Sarjanumero', model.serial],
              ['Tuote', model.productName],
              ['Hyvitetyt kanavat', model.channelsReturned],
              ['Varastossa vapaana', model.balance],
            ],
          },
          openRequest(model),
        ],
      };
    }
    case 'return_expired': {
      const n = reference(model.requestNumber);
      return {
        audience: 'partner',
        subject: `${n} palautus vanheni: kanavia ei hyvitetty`,
        heading: `Palautus ${n} on vanhentunut`,
        blocks: [
          {
            p: `Lisenssin ${model.serial} palautusta (${channelsOf(model.channelsReturned)}) ei vahvistettu ajoissa, joten se vanheni eikä varastoosi hyvitetty kanavia. Lähetä uusi palautuspyyntö, jos haluat yhä palauttaa ne.`,
          },
          { facts: [...requestFacts(model), ['Sarjanumero', model.serial], ['Tuote', model.productName], ['Kanavat', model.channelsReturned]] },
          openRequest(model),
        ],
      };
    }
    case 'rma_reminder': {
      const n = reference(model.requestNumber);
      return {
        audience: 'partner',
        subject: `${n} RMA-muistutus: palauta lisenssin ${model.serial} vaihdettu laite`,
        heading: `Palauta vaihdettu laite (${n})`,
        blocks: [
          {
            p: `Lisenssi ${model.serial} on siirretty uudelle laitteistolle. Emme ole vielä vastaanottaneet vaihdettua osaa (${model.oldHardware}). Lähetä se takaisin${model.returnBy ? ` viimeistään ${at(model.returnBy)}` : ''}; pyyntö pysyy avoinna, kunnes osa saapuu.`,
          },
          {
            facts: [
              ...requestFacts(model),
              ['Sarjanumero', model.serial],
              ['Tuote', model.productName],
              ['Vaihdettu laite', model.oldHardware],
              ['Muistutus', model.reminderNumber],
            ],
          },
          openRequest(model),
        ],
      };
    }
    case 'sma_expiry': {
      if (model.licenses.length === 0) throw new Error('An sma_expiry mail needs at least one license; send none when no SMA is ending.');
      const days = model.withinDays ?? 30;
      const count = licensesOf(model.licenses.length);
      const sorted = [...model.licenses].sort((a, b) => toDate(a.smaEnd).getTime() - toDate(b.smaEnd).getTime() || a.serial.localeCompare(b.serial));
      return {
        audience: 'partner',
        subject: `SMA päättyy ${days} päivän kuluessa: ${count}, ${model.companyName}`,
        heading: `SMA päättyy ${days} päivän kuluessa: ${count}`,
        blocks: [
          {
            p: `Yrityksen ${model.companyName} seuraavien lisenssien (${count}) ohjelmistoylläpitosopimus (SMA) päättyy ${days} päivän kuluessa. Uusi se SMA:n uusintapyynnöllä: alla oleva linkki täyttää sarjanumerot valmiiksi. Uusinta jatkuu SMA:n päättymispäivästä.`,
          },
          {
            table: {
              columns: ['Sarjanumero', 'Tuote', 'Kanavat', 'Loppuasiakas', 'SMA päättyy'],
              rows: sorted.map((l) => [l.serial, l.productName, number(l.channels), l.endUserCompany ?? '', finnishDate(l.smaEnd, tz)]),
            },
          },
          {
            link: {
              label: 'Uusi SMA',
              url: smaRenewalUrl(
                model.publicUrl,
                sorted.map((l) => l.serial),
              ),
            },
          },
          { link: { label: 'Avaa lisenssisi', url: licensesUrl(model.publicUrl) } },
        ],
      };
    }
    case 'sma_renewed': {
      const n = reference(model.requestNumber);
      const count = licensesOf(model.licenses.length);
      const blocks: Block[] = [
        {
          p: `Pyyntö ${phrase(model)} on hyväksytty: SMA on uusittu (${count}), ja uudelleen myönnetyt lisenssitiedostot ovat liitteenä. Asenna ne nykyisten tilalle.`,
        },
        {
          table: {
            columns: ['Sarjanumero', 'Tuote', 'SMA päättyi', 'SMA päättyy', 'Tiedosto'],
            rows: model.licenses.map((l) => [l.serial, l.productName, finnishDate(l.previousEnd, tz), finnishDate(l.newEnd, tz), l.fileName]),
          },
        },
        {
          p: `Voit perua uusinnan ${at(model.coolingOffEndsAt)} asti (harkinta-aika) pyynnön painikkeella "Peru uusinta"; kunkin lisenssin SMA palaa silloin entiseen päättymispäiväänsä. Sen jälkeen uusinta on lopullinen.`,
        },
        { facts: requestFacts(model) },
      ];
      if (model.comment) blocks.push({ quote: model.comment, label: 'Lisenssipalvelun kommentti' });
      blocks.push(openRequest(model));
      return { audience: 'partner', subject: `${n} SMA uusittu: ${count}`, heading: `${n}: SMA uusittu (${count})`, blocks };
    }
    case 'sma_renewal_cancelled': {
      const n = reference(model.requestNumber);
      const count = licensesOf(model.licenses.length);
      const blocks: Block[] = [
        {
          p: `SMA:n uusinta ${n} peruttiin harkinta-aikana. SMA (${count}) palasi entiseen päättymispäiväänsä, ja uudelleen myönnetyt lisenssitiedostot ovat liitteenä: asenna ne uusittujen tilalle.`,
        },
        {
          table: {
            columns: ['Sarjanumero', 'Tuote', 'SMA päättyi uusittuna', 'SMA päättyy', 'Tiedosto'],
            rows: model.licenses.map((l) => [l.serial, l.productName, finnishDate(l.previousEnd, tz), finnishDate(l.newEnd, tz), l.fileName]),
          },
        },
      ];
      if (model.reason) blocks.push({ quote: model.reason, label: 'Perustelu' });
      blocks.push({ facts: requestFacts(model) }, openRequest(model));
      return { audience: 'partner', subject: `${n} SMA:n uusinta peruttu: ${count}`, heading: `${n}: SMA:n uusinta peruttu`, blocks };
    }
    case 'stock_credited': {
      const n = reference(model.requestNumber);
      const channels = channelsOf(model.channels);
      return {
        audience: 'partner',
        subject: `${n} varasto hyvitetty: ${channels}, ${model.productName}`,
        heading: `Varasto hyvitetty: ${channels}, ${model.productName}`,
        blocks: [
          { p: `Pyyntösi ${phrase(model)} on hyväksytty, ja varastoosi on lisätty ${channels} tuotetta ${model.productName}.` },
          {
            facts: [
              ...requestFacts(model),
              ['Tuote', model.productName],
              ['Hyvitetyt kanavat', model.channels],
              ['Tilausviite', model.orderReference],
              ['Varastossa vapaana', model.balance],
            ],
          },
          openRequest(model),
        ],
      };
    }
    case 'stock_reshipped': {
      const n = reference(model.requestNumber);
      const channels = channelsOf(model.channels);
      const sent = model.side === 'distributor';
      return {
        audience: 'partner',
        subject: sent
          ? `${n} siirretty: ${channels}, ${model.productName}, yritykselle ${model.dealerName}`
          : `${n} varastoon saapunut: ${channels}, ${model.productName}, yritykseltä ${model.distributorName}`,
        heading: sent
          ? `Siirretty yritykselle ${model.dealerName}: ${channels}, ${model.productName}`
          : `Varastoa saapunut yritykseltä ${model.distributorName}`,
        blocks: [
          {
            p: sent
              ? `Pyyntösi ${phrase(model)} on valmis: ${channels} tuotetta ${model.productName} siirtyi varastostasi yrityksen ${model.dealerName} varastoon.`
              : `${model.distributorName} on siirtänyt varastoosi ${channels} tuotetta ${model.productName}. Voit käyttää niitä pyynnöissäsi heti.`,
          },
          {
            facts: [
              ...requestFacts(model),
              ['Tuote', model.productName],
              [sent ? 'Siirretyt kanavat' : 'Saapuneet kanavat', model.channels],
              [sent ? 'Jälleenmyyjä' : 'Jakelija', sent ? model.dealerName : model.distributorName],
              ['Huomautus', model.note],
              ['Varastossa vapaana', model.balance],
            ],
          },
          sent ? openRequest(model) : { link: { label: 'Avaa varastosi', url: stocksUrl(model.publicUrl) } },
        ],
      };
    }
    case 'ownership_consent_requested': {
      const n = reference(model.requestNumber);
      const count = licensesOf(model.serials.length);
      return {
        audience: 'partner',
        subject: `${n} suostumus tarvitaan: ${count} siirtyy yritykselle ${model.newOwnerName}`,
        heading: `Suostumustasi tarvitaan pyyntöön ${n}`,
        blocks: [
          {
            p: `Pyynnössä pyydetään siirtämään yrityksen ${model.currentOwnerName} omistamat lisenssit (${count}) yritykselle ${model.newOwnerName}. Yrityksen ${model.currentOwnerName} pääkäyttäjänä anna suostumuksesi tai kieltäydy${model.respondBy ? ` viimeistään ${at(model.respondBy)}` : ''}. Mikään ei siirry ilman sitä.`,
          },
          {
            facts: [
              ...requestFacts(model),
              ['Nykyinen omistaja', model.currentOwnerName],
              ['Uusi omistaja', model.newOwnerName],
              ['Lisenssit', model.serials.join(', ')],
            ],
          },
          { link: { label: 'Tarkista pyyntö', url: requestUrl(model.publicUrl, model.requestId) } },
        ],
      };
    }
    case 'ownership_changed': {
      const n = reference(model.requestNumber);
      const count = licensesOf(model.serials.length);
      return {
        audience: 'partner',
        subject: `${n} omistaja vaihdettu: ${count} siirretty yritykselle ${model.newOwnerName}`,
        heading: `Omistaja vaihdettu (${n})`,
        blocks: [
          {
            p: `Lisenssit (${count}) historioineen siirtyivät yritykseltä ${model.previousOwnerName} yritykselle ${model.newOwnerName}. ${model.newOwnerName} saa uudelleen myönnetyt lisenssitiedostot.`,
          },
          {
            facts: [
              ...requestFacts(model),
              ['Edellinen omistaja', model.previousOwnerName],
              ['Uusi omistaja', model.newOwnerName],
              ['Lisenssit', model.serials.join(', ')],
            ],
          },
          openRequest(model),
        ],
      };
    }
    case 'partial_transfer_consent_requested': {
      const n = reference(model.requestNumber);
      const channels = channelsOf(model.channels);
      return {
        audience: 'partner',
        subject: `${n} suostumus tarvitaan: ${channels} lisenssistä ${model.serial} yritykselle ${model.targetName}`,
        heading: `Suostumustasi tarvitaan pyyntöön ${n}`,
        blocks: [
          {
            p: `Pyynnössä pyydetään siirtämään yrityksen ${model.currentOwnerName} lisenssistä ${model.serial} ${channels} yritykselle ${model.targetName} uutena lisenssinä; lisenssiin ${model.serial} jäisi ${channelsOf(model.remainingChannels)}. Yrityksen ${model.currentOwnerName} pääkäyttäjänä anna suostumuksesi tai kieltäydy. Mikään ei siirry ilman sitä.`,
          },
          {
            facts: [
              ...requestFacts(model),
              ['Sarjanumero', model.serial],
              ['Tuote', model.productName],
              ['Siirrettävät kanavat', model.channels],
              ['Jäävät kanavat', model.remainingChannels],
              ['Vastaanottava yritys', model.targetName],
            ],
          },
          { link: { label: 'Tarkista pyyntö', url: requestUrl(model.publicUrl, model.requestId) } },
        ],
      };
    }
    case 'channels_transferred': {
      const n = reference(model.requestNumber);
      const channels = channelsOf(model.channels);
      const blocks: Block[] = [
        {
          p: `Lisenssistä ${model.serial} siirrettiin ${channels} yritykselle ${model.targetName} lisenssiksi ${model.newSerial}. Pienennetty lisenssitiedosto ${model.fileName} (${channelsOf(model.remainingChannels)}) on liitteenä: asenna se nykyisen tilalle.`,
        },
        {
          facts: [
            ...requestFacts(model),
            ['Sarjanumero', model.serial],
            ['Tuote', model.productName],
            ['Siirretyt kanavat', model.channels],
            ['Jäljellä olevat kanavat', model.remainingChannels],
            ['Siirretty', `${model.targetName} (${model.newSerial})`],
          ],
        },
        openRequest(model),
      ];
      if (model.licenseId) blocks.push({ link: { label: 'Avaa lisenssi', url: licenseUrl(model.publicUrl, model.licenseId) } });
      return {
        audience: 'partner',
        subject: `${n} ${channels} lisenssistä ${model.serial} siirretty yritykselle ${model.targetName}`,
        heading: `Kanavat siirretty (${n})`,
        blocks,
      };
    }
    case 'channels_received': {
      const n = reference(model.requestNumber);
      const channels = channelsOf(model.channels);
      const blocks: Block[] = [
        {
          p: `${model.fromName} on siirtänyt yrityksellesi ${channels} tuotetta ${model.productName} lisenssistä ${model.sourceSerial}. Uusi lisenssisi ${model.serial} on liitteenä tiedostona ${model.fileName}.`,
        },
        {
          facts: [
            ...requestFacts(model),
            ['Sarjanumero', model.serial],
            ['Tuote', model.productName],
            ['Kanavat', model.channels],
            ['Lähde', `${model.fromName} (${model.sourceSerial})`],
          ],
        },
      ];
      if (model.licenseId) blocks.push({ link: { label: 'Avaa lisenssi', url: licenseUrl(model.publicUrl, model.licenseId) } });
      return {
        audience: 'partner',
        subject: `${n} uusi lisenssi ${model.serial}: ${channels} yritykseltä ${model.fromName}`,
        heading: `Uusi lisenssi ${model.serial} (${n})`,
        blocks,
      };
    }
    case 'external_file_waiting': {
      const n = reference(model.requestNumber);
      const waiting = hoursOf(model.waitingBusinessHours);
      return {
        audience: 'desk',
        subject: `${n} odottaa lisenssitiedostoa: ${model.productName} (${waiting})`,
        heading: `Lataa pyynnön ${n} lisenssitiedosto`,
        blocks: [
          {
            p: `${model.productName} on ulkoinen tuote. Yrityksen ${model.companyName} hyväksytty pyyntö ${phrase(model)} on odottanut lisenssitiedostoaan ${waiting}. Luo tiedosto ulkoisessa generaattorissa ja lataa se pyynnölle.`,
          },
          { facts: [...requestFacts(model), ['Tuote', model.productName], ['Sarjanumero', model.serial]] },
          openRequest(model),
        ],
      };
    }
    case 'cancelled': {
      const n = reference(model.requestNumber);
      const blocks: Block[] = [{ p: `Pyyntö ${phrase(model)} on peruttu.` }];
      if (model.reason) blocks.push({ quote: model.reason, label: 'Perustelu' });
      if (model.releasedChannels) blocks.push({ p: `Pyynnölle varatut ${channelsOf(model.releasedChannels)} palautettiin varastoosi.` });
      blocks.push({ facts: requestFacts(model) }, openRequest(model));
      return { audience: 'partner', subject: `${n} peruttu: ${FINNISH_TYPE_NAMES[model.requestType]}`, heading: `${n} peruttiin`, blocks };
    }
    case 'invitation':
      return {
        audience: 'account',
        subject: `Kutsu yrityksen ${model.companyName} License Deskiin`,
        heading: `Tervetuloa, ${model.userName}`,
        blocks: [
          {
            p: `${model.invitedBy} on luonut sinulle tunnuksen yritykselle ${model.companyName} License Deskissä. Valitse salasanasi alla olevasta linkistä; se toimii kerran, ${finnishDateTime(model.expiresAt)} asti.`,
          },
          { link: { label: 'Aseta salasana', url: model.url } },
          { p: 'Jos et odottanut tätä kutsua, voit jättää viestin huomiotta; tunnusta ei voi käyttää ilman salasanaa.' },
        ],
      };
    case 'password_reset':
      return {
        audience: 'account',
        subject: 'License Desk -salasanan vaihto',
        heading: `Salasanan vaihto: ${model.userName}`,
        blocks: [
          { p: `Tämän tunnuksen salasanan vaihtoa on pyydetty. Alla oleva linkki toimii kerran, ${finnishDateTime(model.expiresAt)} asti.` },
          { link: { label: 'Valitse uusi salasana', url: model.url } },
          { p: 'Jos et pyytänyt tätä, voit jättää viestin huomiotta: salasanasi pysyy ennallaan.' },
        ],
      };
  }
}

// SMS price list seed for a European CPaaS: EUR per SMS segment per mobile network (MCC/MNC); rates are illustrative, not a real tariff.

export type SeedPrice = {
  mcc: string;
  mnc: string;
  dialcode: string;
  country: string;
  countryName: string;
  network: string;
  rate: string;
  prevRate: string;
  /** ISO date YYYY-MM-DD */
  rateStartDate: string;
};

export const SEED_PRICES: readonly SeedPrice[] = [
  // United Kingdom
  { mcc: "234", mnc: "10", dialcode: "44", country: "GB", countryName: "United Kingdom", network: "O2", rate: "0.0385", prevRate: "0.0385", rateStartDate: "2025-06-01" },
  { mcc: "234", mnc: "15", dialcode: "44", country: "GB", countryName: "United Kingdom", network: "Vodafone", rate: "0.0392", prevRate: "0.03685", rateStartDate: "2026-01-01" },
  { mcc: "234", mnc: "20", dialcode: "44", country: "GB", countryName: "United Kingdom", network: "Three", rate: "0.0378", prevRate: "0.04082", rateStartDate: "2026-09-01" },
  { mcc: "234", mnc: "30", dialcode: "44", country: "GB", countryName: "United Kingdom", network: "EE", rate: "0.0401", prevRate: "0.03609", rateStartDate: "2025-10-01" },
  // Germany
  { mcc: "262", mnc: "01", dialcode: "49", country: "DE", countryName: "Germany", network: "Telekom", rate: "0.0745", prevRate: "0.07823", rateStartDate: "2026-05-01" },
  { mcc: "262", mnc: "02", dialcode: "49", country: "DE", countryName: "Germany", network: "Vodafone", rate: "0.0752", prevRate: "0.0752", rateStartDate: "2025-07-15" },
  { mcc: "262", mnc: "03", dialcode: "49", country: "DE", countryName: "Germany", network: "Telefónica (O2)", rate: "0.0738", prevRate: "0.07823", rateStartDate: "2026-02-01" },
  // France
  { mcc: "208", mnc: "01", dialcode: "33", country: "FR", countryName: "France", network: "Orange", rate: "0.0615", prevRate: "0.0615", rateStartDate: "2026-10-01" },
  { mcc: "208", mnc: "10", dialcode: "33", country: "FR", countryName: "France", network: "SFR", rate: "0.0598", prevRate: "0.05382", rateStartDate: "2025-11-15" },
  { mcc: "208", mnc: "15", dialcode: "33", country: "FR", countryName: "France", network: "Free Mobile", rate: "0.0572", prevRate: "0.0572", rateStartDate: "2026-07-01" },
  { mcc: "208", mnc: "20", dialcode: "33", country: "FR", countryName: "France", network: "Bouygues Telecom", rate: "0.0605", prevRate: "0.05808", rateStartDate: "2025-09-01" },
  // Spain
  { mcc: "214", mnc: "01", dialcode: "34", country: "ES", countryName: "Spain", network: "Vodafone", rate: "0.0648", prevRate: "0.06869", rateStartDate: "2026-03-15" },
  { mcc: "214", mnc: "03", dialcode: "34", country: "ES", countryName: "Spain", network: "Orange", rate: "0.0655", prevRate: "0.06026", rateStartDate: "2025-06-01" },
  { mcc: "214", mnc: "04", dialcode: "34", country: "ES", countryName: "Spain", network: "Yoigo", rate: "0.0632", prevRate: "0.06952", rateStartDate: "2026-01-01" },
  { mcc: "214", mnc: "07", dialcode: "34", country: "ES", countryName: "Spain", network: "Movistar", rate: "0.0661", prevRate: "0.0661", rateStartDate: "2026-09-01" },
  // Italy
  { mcc: "222", mnc: "01", dialcode: "39", country: "IT", countryName: "Italy", network: "TIM", rate: "0.0685", prevRate: "0.07124", rateStartDate: "2025-10-01" },
  { mcc: "222", mnc: "10", dialcode: "39", country: "IT", countryName: "Italy", network: "Vodafone", rate: "0.0672", prevRate: "0.0672", rateStartDate: "2026-05-01" },
  { mcc: "222", mnc: "50", dialcode: "39", country: "IT", countryName: "Italy", network: "Iliad", rate: "0.0659", prevRate: "0.06063", rateStartDate: "2025-07-15" },
  { mcc: "222", mnc: "88", dialcode: "39", country: "IT", countryName: "Italy", network: "WindTre", rate: "0.069", prevRate: "0.069", rateStartDate: "2026-02-01" },
  // Netherlands
  { mcc: "204", mnc: "04", dialcode: "31", country: "NL", countryName: "Netherlands", network: "Vodafone", rate: "0.0812", prevRate: "0.07714", rateStartDate: "2026-10-01" },
  { mcc: "204", mnc: "08", dialcode: "31", country: "NL", countryName: "Netherlands", network: "KPN", rate: "0.0798", prevRate: "0.08299", rateStartDate: "2025-11-15" },
  { mcc: "204", mnc: "16", dialcode: "31", country: "NL", countryName: "Netherlands", network: "Odido", rate: "0.0805", prevRate: "0.07567", rateStartDate: "2026-07-01" },
  // Belgium
  { mcc: "206", mnc: "01", dialcode: "32", country: "BE", countryName: "Belgium", network: "Proximus", rate: "0.0872", prevRate: "0.09418", rateStartDate: "2025-09-01" },
  { mcc: "206", mnc: "10", dialcode: "32", country: "BE", countryName: "Belgium", network: "Orange Belgium", rate: "0.0865", prevRate: "0.0865", rateStartDate: "2026-03-15" },
  { mcc: "206", mnc: "20", dialcode: "32", country: "BE", countryName: "Belgium", network: "BASE", rate: "0.0858", prevRate: "0.09009", rateStartDate: "2025-06-01" },
  // Luxembourg
  { mcc: "270", mnc: "01", dialcode: "352", country: "LU", countryName: "Luxembourg", network: "POST Luxembourg", rate: "0.0612", prevRate: "0.0612", rateStartDate: "2026-01-01" },
  { mcc: "270", mnc: "77", dialcode: "352", country: "LU", countryName: "Luxembourg", network: "Tango", rate: "0.0625", prevRate: "0.05875", rateStartDate: "2026-09-01" },
  { mcc: "270", mnc: "99", dialcode: "352", country: "LU", countryName: "Luxembourg", network: "Orange", rate: "0.0618", prevRate: "0.0618", rateStartDate: "2025-10-01" },
  // Portugal
  { mcc: "268", mnc: "01", dialcode: "351", country: "PT", countryName: "Portugal", network: "Vodafone", rate: "0.0395", prevRate: "0.03555", rateStartDate: "2026-05-01" },
  { mcc: "268", mnc: "03", dialcode: "351", country: "PT", countryName: "Portugal", network: "NOS", rate: "0.0388", prevRate: "0.04074", rateStartDate: "2025-07-15" },
  { mcc: "268", mnc: "06", dialcode: "351", country: "PT", countryName: "Portugal", network: "MEO", rate: "0.0402", prevRate: "0.03859", rateStartDate: "2026-02-01" },
  // Ireland
  { mcc: "272", mnc: "01", dialcode: "353", country: "IE", countryName: "Ireland", network: "Vodafone", rate: "0.0568", prevRate: "0.06021", rateStartDate: "2026-10-01" },
  { mcc: "272", mnc: "03", dialcode: "353", country: "IE", countryName: "Ireland", network: "Eir", rate: "0.0559", prevRate: "0.0559", rateStartDate: "2025-11-15" },
  { mcc: "272", mnc: "05", dialcode: "353", country: "IE", countryName: "Ireland", network: "Three", rate: "0.0574", prevRate: "0.06314", rateStartDate: "2026-07-01" },
  // Austria
  { mcc: "232", mnc: "01", dialcode: "43", country: "AT", countryName: "Austria", network: "A1", rate: "0.0842", prevRate: "0.0842", rateStartDate: "2025-09-01" },
  { mcc: "232", mnc: "03", dialcode: "43", country: "AT", countryName: "Austria", network: "Magenta Telekom", rate: "0.0836", prevRate: "0.08026", rateStartDate: "2026-03-15" },
  { mcc: "232", mnc: "10", dialcode: "43", country: "AT", countryName: "Austria", network: "Drei", rate: "0.0829", prevRate: "0.0829", rateStartDate: "2025-06-01" },
  // Switzerland
  { mcc: "228", mnc: "01", dialcode: "41", country: "CH", countryName: "Switzerland", network: "Swisscom", rate: "0.0598", prevRate: "0.05502", rateStartDate: "2026-01-01" },
  { mcc: "228", mnc: "02", dialcode: "41", country: "CH", countryName: "Switzerland", network: "Sunrise", rate: "0.0612", prevRate: "0.06732", rateStartDate: "2026-09-01" },
  { mcc: "228", mnc: "03", dialcode: "41", country: "CH", countryName: "Switzerland", network: "Salt", rate: "0.0605", prevRate: "0.05747", rateStartDate: "2025-10-01" },
  // Sweden
  { mcc: "240", mnc: "01", dialcode: "46", country: "SE", countryName: "Sweden", network: "Telia", rate: "0.0412", prevRate: "0.04285", rateStartDate: "2026-05-01" },
  { mcc: "240", mnc: "02", dialcode: "46", country: "SE", countryName: "Sweden", network: "Tre", rate: "0.0405", prevRate: "0.0405", rateStartDate: "2025-07-15" },
  { mcc: "240", mnc: "07", dialcode: "46", country: "SE", countryName: "Sweden", network: "Tele2", rate: "0.0418", prevRate: "0.04514", rateStartDate: "2026-02-01" },
  { mcc: "240", mnc: "08", dialcode: "46", country: "SE", countryName: "Sweden", network: "Telenor", rate: "0.0409", prevRate: "0.0409", rateStartDate: "2026-10-01" },
  // Norway
  { mcc: "242", mnc: "01", dialcode: "47", country: "NO", countryName: "Norway", network: "Telenor", rate: "0.0528", prevRate: "0.05016", rateStartDate: "2025-11-15" },
  { mcc: "242", mnc: "02", dialcode: "47", country: "NO", countryName: "Norway", network: "Telia", rate: "0.0535", prevRate: "0.0535", rateStartDate: "2026-07-01" },
  { mcc: "242", mnc: "14", dialcode: "47", country: "NO", countryName: "Norway", network: "ice", rate: "0.0519", prevRate: "0.04879", rateStartDate: "2025-09-01" },
  // Denmark
  { mcc: "238", mnc: "01", dialcode: "45", country: "DK", countryName: "Denmark", network: "TDC (YouSee)", rate: "0.0318", prevRate: "0.03434", rateStartDate: "2026-03-15" },
  { mcc: "238", mnc: "02", dialcode: "45", country: "DK", countryName: "Denmark", network: "Telenor", rate: "0.0325", prevRate: "0.02925", rateStartDate: "2025-06-01" },
  { mcc: "238", mnc: "06", dialcode: "45", country: "DK", countryName: "Denmark", network: "3", rate: "0.0312", prevRate: "0.03276", rateStartDate: "2026-01-01" },
  { mcc: "238", mnc: "20", dialcode: "45", country: "DK", countryName: "Denmark", network: "Telia", rate: "0.0321", prevRate: "0.0321", rateStartDate: "2026-09-01" },
  // Finland
  { mcc: "244", mnc: "05", dialcode: "358", country: "FI", countryName: "Finland", network: "Elisa", rate: "0.0785", prevRate: "0.08321", rateStartDate: "2025-10-01" },
  { mcc: "244", mnc: "12", dialcode: "358", country: "FI", countryName: "Finland", network: "DNA", rate: "0.0779", prevRate: "0.0779", rateStartDate: "2026-05-01" },
  { mcc: "244", mnc: "91", dialcode: "358", country: "FI", countryName: "Finland", network: "Telia", rate: "0.0792", prevRate: "0.07128", rateStartDate: "2025-07-15" },
  // Poland
  { mcc: "260", mnc: "01", dialcode: "48", country: "PL", countryName: "Poland", network: "Plus", rate: "0.0298", prevRate: "0.0298", rateStartDate: "2026-02-01" },
  { mcc: "260", mnc: "02", dialcode: "48", country: "PL", countryName: "Poland", network: "T-Mobile", rate: "0.0305", prevRate: "0.02928", rateStartDate: "2026-10-01" },
  { mcc: "260", mnc: "03", dialcode: "48", country: "PL", countryName: "Poland", network: "Orange", rate: "0.0291", prevRate: "0.03085", rateStartDate: "2025-11-15" },
  { mcc: "260", mnc: "06", dialcode: "48", country: "PL", countryName: "Poland", network: "Play", rate: "0.0302", prevRate: "0.02778", rateStartDate: "2026-07-01" },
  // Czechia
  { mcc: "230", mnc: "01", dialcode: "420", country: "CZ", countryName: "Czechia", network: "T-Mobile", rate: "0.0452", prevRate: "0.04972", rateStartDate: "2025-09-01" },
  { mcc: "230", mnc: "02", dialcode: "420", country: "CZ", countryName: "Czechia", network: "O2", rate: "0.0446", prevRate: "0.0446", rateStartDate: "2026-03-15" },
  { mcc: "230", mnc: "03", dialcode: "420", country: "CZ", countryName: "Czechia", network: "Vodafone", rate: "0.0459", prevRate: "0.04774", rateStartDate: "2025-06-01" },
  // Slovakia
  { mcc: "231", mnc: "01", dialcode: "421", country: "SK", countryName: "Slovakia", network: "Orange", rate: "0.0685", prevRate: "0.0685", rateStartDate: "2026-01-01" },
  { mcc: "231", mnc: "02", dialcode: "421", country: "SK", countryName: "Slovakia", network: "Telekom", rate: "0.0692", prevRate: "0.06366", rateStartDate: "2026-09-01" },
  { mcc: "231", mnc: "03", dialcode: "421", country: "SK", countryName: "Slovakia", network: "4ka", rate: "0.0678", prevRate: "0.0678", rateStartDate: "2025-10-01" },
  { mcc: "231", mnc: "06", dialcode: "421", country: "SK", countryName: "Slovakia", network: "O2", rate: "0.0671", prevRate: "0.06375", rateStartDate: "2026-05-01" },
  // Romania
  { mcc: "226", mnc: "01", dialcode: "40", country: "RO", countryName: "Romania", network: "Vodafone", rate: "0.0612", prevRate: "0.06365", rateStartDate: "2025-07-15" },
  { mcc: "226", mnc: "03", dialcode: "40", country: "RO", countryName: "Romania", network: "Telekom Romania", rate: "0.0605", prevRate: "0.05687", rateStartDate: "2026-02-01" },
  { mcc: "226", mnc: "05", dialcode: "40", country: "RO", countryName: "Romania", network: "Digi.Mobil", rate: "0.0598", prevRate: "0.06458", rateStartDate: "2026-10-01" },
  { mcc: "226", mnc: "10", dialcode: "40", country: "RO", countryName: "Romania", network: "Orange", rate: "0.0619", prevRate: "0.0619", rateStartDate: "2025-11-15" },
  // Bulgaria
  { mcc: "284", mnc: "01", dialcode: "359", country: "BG", countryName: "Bulgaria", network: "A1", rate: "0.0712", prevRate: "0.07476", rateStartDate: "2026-07-01" },
  { mcc: "284", mnc: "03", dialcode: "359", country: "BG", countryName: "Bulgaria", network: "Vivacom", rate: "0.0725", prevRate: "0.0725", rateStartDate: "2025-09-01" },
  { mcc: "284", mnc: "05", dialcode: "359", country: "BG", countryName: "Bulgaria", network: "Yettel", rate: "0.0708", prevRate: "0.06655", rateStartDate: "2026-03-15" },
  // Croatia
  { mcc: "219", mnc: "01", dialcode: "385", country: "HR", countryName: "Croatia", network: "Hrvatski Telekom", rate: "0.0762", prevRate: "0.0762", rateStartDate: "2025-06-01" },
  { mcc: "219", mnc: "02", dialcode: "385", country: "HR", countryName: "Croatia", network: "Telemach", rate: "0.0755", prevRate: "0.06795", rateStartDate: "2026-01-01" },
  { mcc: "219", mnc: "10", dialcode: "385", country: "HR", countryName: "Croatia", network: "A1", rate: "0.0748", prevRate: "0.07854", rateStartDate: "2026-09-01" },
  // Greece
  { mcc: "202", mnc: "01", dialcode: "30", country: "GR", countryName: "Greece", network: "Cosmote", rate: "0.0548", prevRate: "0.05261", rateStartDate: "2025-10-01" },
  { mcc: "202", mnc: "05", dialcode: "30", country: "GR", countryName: "Greece", network: "Vodafone", rate: "0.0555", prevRate: "0.05883", rateStartDate: "2026-05-01" },
  { mcc: "202", mnc: "10", dialcode: "30", country: "GR", countryName: "Greece", network: "Nova", rate: "0.0541", prevRate: "0.0541", rateStartDate: "2025-07-15" },
  // Hungary
  { mcc: "216", mnc: "01", dialcode: "36", country: "HU", countryName: "Hungary", network: "Yettel", rate: "0.0895", prevRate: "0.09845", rateStartDate: "2026-02-01" },
  { mcc: "216", mnc: "30", dialcode: "36", country: "HU", countryName: "Hungary", network: "Telekom", rate: "0.0902", prevRate: "0.0902", rateStartDate: "2026-10-01" },
  { mcc: "216", mnc: "70", dialcode: "36", country: "HU", countryName: "Hungary", network: "One Hungary", rate: "0.0888", prevRate: "0.08525", rateStartDate: "2025-11-15" },
  // Ukraine
  { mcc: "255", mnc: "01", dialcode: "380", country: "UA", countryName: "Ukraine", network: "Vodafone", rate: "0.0798", prevRate: "0.0798", rateStartDate: "2026-07-01" },
  { mcc: "255", mnc: "03", dialcode: "380", country: "UA", countryName: "Ukraine", network: "Kyivstar", rate: "0.0812", prevRate: "0.0747", rateStartDate: "2025-09-01" },
  { mcc: "255", mnc: "06", dialcode: "380", country: "UA", countryName: "Ukraine", network: "lifecell", rate: "0.0785", prevRate: "0.08635", rateStartDate: "2026-03-15" },
  // Türkiye
  { mcc: "286", mnc: "01", dialcode: "90", country: "TR", countryName: "Türkiye", network: "Turkcell", rate: "0.0105", prevRate: "0.00997", rateStartDate: "2025-06-01" },
  { mcc: "286", mnc: "02", dialcode: "90", country: "TR", countryName: "Türkiye", network: "Vodafone", rate: "0.0112", prevRate: "0.01165", rateStartDate: "2026-01-01" },
  { mcc: "286", mnc: "03", dialcode: "90", country: "TR", countryName: "Türkiye", network: "Türk Telekom", rate: "0.0098", prevRate: "0.0098", rateStartDate: "2026-09-01" },
  // United States
  { mcc: "310", mnc: "260", dialcode: "1", country: "US", countryName: "United States", network: "T-Mobile", rate: "0.0082", prevRate: "0.00886", rateStartDate: "2025-10-01" },
  { mcc: "311", mnc: "480", dialcode: "1", country: "US", countryName: "United States", network: "Verizon", rate: "0.0089", prevRate: "0.0089", rateStartDate: "2026-05-01" },
  { mcc: "310", mnc: "410", dialcode: "1", country: "US", countryName: "United States", network: "AT&T", rate: "0.0085", prevRate: "0.00808", rateStartDate: "2025-07-15" },
  // Canada
  { mcc: "302", mnc: "220", dialcode: "1", country: "CA", countryName: "Canada", network: "Telus", rate: "0.0095", prevRate: "0.0095", rateStartDate: "2026-02-01" },
  { mcc: "302", mnc: "610", dialcode: "1", country: "CA", countryName: "Canada", network: "Bell", rate: "0.0098", prevRate: "0.00921", rateStartDate: "2026-10-01" },
  { mcc: "302", mnc: "720", dialcode: "1", country: "CA", countryName: "Canada", network: "Rogers", rate: "0.0092", prevRate: "0.00994", rateStartDate: "2025-11-15" },
  // Mexico
  { mcc: "334", mnc: "020", dialcode: "52", country: "MX", countryName: "Mexico", network: "Telcel", rate: "0.0215", prevRate: "0.01935", rateStartDate: "2026-07-01" },
  { mcc: "334", mnc: "030", dialcode: "52", country: "MX", countryName: "Mexico", network: "Movistar", rate: "0.0238", prevRate: "0.02499", rateStartDate: "2025-09-01" },
  { mcc: "334", mnc: "050", dialcode: "52", country: "MX", countryName: "Mexico", network: "AT&T", rate: "0.0229", prevRate: "0.0229", rateStartDate: "2026-03-15" },
  // Brazil
  { mcc: "724", mnc: "02", dialcode: "55", country: "BR", countryName: "Brazil", network: "TIM", rate: "0.0128", prevRate: "0.01357", rateStartDate: "2025-06-01" },
  { mcc: "724", mnc: "05", dialcode: "55", country: "BR", countryName: "Brazil", network: "Claro", rate: "0.0135", prevRate: "0.0135", rateStartDate: "2026-01-01" },
  { mcc: "724", mnc: "06", dialcode: "55", country: "BR", countryName: "Brazil", network: "Vivo", rate: "0.0131", prevRate: "0.01179", rateStartDate: "2026-09-01" },
  // Argentina
  { mcc: "722", mnc: "070", dialcode: "54", country: "AR", countryName: "Argentina", network: "Movistar", rate: "0.0452", prevRate: "0.0452", rateStartDate: "2025-10-01" },
  { mcc: "722", mnc: "310", dialcode: "54", country: "AR", countryName: "Argentina", network: "Claro", rate: "0.0438", prevRate: "0.04205", rateStartDate: "2026-05-01" },
  { mcc: "722", mnc: "340", dialcode: "54", country: "AR", countryName: "Argentina", network: "Personal", rate: "0.0446", prevRate: "0.04728", rateStartDate: "2025-07-15" },
  // India
  { mcc: "404", mnc: "10", dialcode: "91", country: "IN", countryName: "India", network: "Airtel", rate: "0.0032", prevRate: "0.00294", rateStartDate: "2026-02-01" },
  { mcc: "405", mnc: "840", dialcode: "91", country: "IN", countryName: "India", network: "Jio", rate: "0.0029", prevRate: "0.00319", rateStartDate: "2026-10-01" },
  { mcc: "404", mnc: "20", dialcode: "91", country: "IN", countryName: "India", network: "Vi (Vodafone Idea)", rate: "0.0041", prevRate: "0.0041", rateStartDate: "2025-11-15" },
  { mcc: "404", mnc: "34", dialcode: "91", country: "IN", countryName: "India", network: "BSNL", rate: "0.0046", prevRate: "0.00478", rateStartDate: "2026-07-01" },
  // Australia
  { mcc: "505", mnc: "01", dialcode: "61", country: "AU", countryName: "Australia", network: "Telstra", rate: "0.0385", prevRate: "0.0385", rateStartDate: "2025-09-01" },
  { mcc: "505", mnc: "02", dialcode: "61", country: "AU", countryName: "Australia", network: "Optus", rate: "0.0392", prevRate: "0.03606", rateStartDate: "2026-03-15" },
  { mcc: "505", mnc: "03", dialcode: "61", country: "AU", countryName: "Australia", network: "Vodafone", rate: "0.0401", prevRate: "0.0401", rateStartDate: "2025-06-01" },
  // New Zealand
  { mcc: "530", mnc: "01", dialcode: "64", country: "NZ", countryName: "New Zealand", network: "One NZ", rate: "0.0652", prevRate: "0.06194", rateStartDate: "2026-01-01" },
  { mcc: "530", mnc: "05", dialcode: "64", country: "NZ", countryName: "New Zealand", network: "Spark", rate: "0.0645", prevRate: "0.06708", rateStartDate: "2026-09-01" },
  { mcc: "530", mnc: "24", dialcode: "64", country: "NZ", countryName: "New Zealand", network: "2degrees", rate: "0.0661", prevRate: "0.06213", rateStartDate: "2025-10-01" },
  // Japan
  { mcc: "440", mnc: "10", dialcode: "81", country: "JP", countryName: "Japan", network: "NTT Docomo", rate: "0.0682", prevRate: "0.07366", rateStartDate: "2026-05-01" },
  { mcc: "440", mnc: "11", dialcode: "81", country: "JP", countryName: "Japan", network: "Rakuten Mobile", rate: "0.0695", prevRate: "0.0695", rateStartDate: "2025-07-15" },
  { mcc: "440", mnc: "20", dialcode: "81", country: "JP", countryName: "Japan", network: "SoftBank", rate: "0.0688", prevRate: "0.07224", rateStartDate: "2026-02-01" },
  { mcc: "440", mnc: "51", dialcode: "81", country: "JP", countryName: "Japan", network: "au (KDDI)", rate: "0.0702", prevRate: "0.0702", rateStartDate: "2026-10-01" },
  // Singapore
  { mcc: "525", mnc: "01", dialcode: "65", country: "SG", countryName: "Singapore", network: "Singtel", rate: "0.0325", prevRate: "0.03055", rateStartDate: "2025-11-15" },
  { mcc: "525", mnc: "03", dialcode: "65", country: "SG", countryName: "Singapore", network: "M1", rate: "0.0331", prevRate: "0.0331", rateStartDate: "2026-07-01" },
  { mcc: "525", mnc: "05", dialcode: "65", country: "SG", countryName: "Singapore", network: "StarHub", rate: "0.0318", prevRate: "0.02862", rateStartDate: "2025-09-01" },
  // United Arab Emirates
  { mcc: "424", mnc: "02", dialcode: "971", country: "AE", countryName: "United Arab Emirates", network: "e& (Etisalat)", rate: "0.0312", prevRate: "0.03276", rateStartDate: "2026-03-15" },
  { mcc: "424", mnc: "03", dialcode: "971", country: "AE", countryName: "United Arab Emirates", network: "du", rate: "0.0328", prevRate: "0.03149", rateStartDate: "2025-06-01" },
  // Saudi Arabia
  { mcc: "420", mnc: "01", dialcode: "966", country: "SA", countryName: "Saudi Arabia", network: "STC", rate: "0.0285", prevRate: "0.03021", rateStartDate: "2026-01-01" },
  { mcc: "420", mnc: "03", dialcode: "966", country: "SA", countryName: "Saudi Arabia", network: "Mobily", rate: "0.0298", prevRate: "0.0298", rateStartDate: "2026-09-01" },
  { mcc: "420", mnc: "04", dialcode: "966", country: "SA", countryName: "Saudi Arabia", network: "Zain", rate: "0.0292", prevRate: "0.03212", rateStartDate: "2025-10-01" },
  // Egypt
  { mcc: "602", mnc: "01", dialcode: "20", country: "EG", countryName: "Egypt", network: "Orange", rate: "0.0952", prevRate: "0.0952", rateStartDate: "2026-05-01" },
  { mcc: "602", mnc: "02", dialcode: "20", country: "EG", countryName: "Egypt", network: "Vodafone", rate: "0.0968", prevRate: "0.09293", rateStartDate: "2025-07-15" },
  { mcc: "602", mnc: "03", dialcode: "20", country: "EG", countryName: "Egypt", network: "e& (Etisalat)", rate: "0.0975", prevRate: "0.0975", rateStartDate: "2026-02-01" },
  // South Africa
  { mcc: "655", mnc: "01", dialcode: "27", country: "ZA", countryName: "South Africa", network: "Vodacom", rate: "0.0185", prevRate: "0.01702", rateStartDate: "2026-10-01" },
  { mcc: "655", mnc: "02", dialcode: "27", country: "ZA", countryName: "South Africa", network: "Telkom", rate: "0.0192", prevRate: "0.02112", rateStartDate: "2025-11-15" },
  { mcc: "655", mnc: "07", dialcode: "27", country: "ZA", countryName: "South Africa", network: "Cell C", rate: "0.0178", prevRate: "0.01691", rateStartDate: "2026-07-01" },
  { mcc: "655", mnc: "10", dialcode: "27", country: "ZA", countryName: "South Africa", network: "MTN", rate: "0.0198", prevRate: "0.02059", rateStartDate: "2025-09-01" },
  // Nigeria
  { mcc: "621", mnc: "20", dialcode: "234", country: "NG", countryName: "Nigeria", network: "Airtel", rate: "0.0412", prevRate: "0.0412", rateStartDate: "2026-03-15" },
  { mcc: "621", mnc: "30", dialcode: "234", country: "NG", countryName: "Nigeria", network: "MTN", rate: "0.0438", prevRate: "0.0473", rateStartDate: "2025-06-01" },
  { mcc: "621", mnc: "50", dialcode: "234", country: "NG", countryName: "Nigeria", network: "Glo", rate: "0.0455", prevRate: "0.0455", rateStartDate: "2026-01-01" },
  { mcc: "621", mnc: "60", dialcode: "234", country: "NG", countryName: "Nigeria", network: "9mobile", rate: "0.0486", prevRate: "0.04617", rateStartDate: "2026-09-01" },
  // Kenya
  { mcc: "639", mnc: "02", dialcode: "254", country: "KE", countryName: "Kenya", network: "Safaricom", rate: "0.0298", prevRate: "0.0298", rateStartDate: "2025-10-01" },
  { mcc: "639", mnc: "03", dialcode: "254", country: "KE", countryName: "Kenya", network: "Airtel", rate: "0.0312", prevRate: "0.02933", rateStartDate: "2026-05-01" },
  { mcc: "639", mnc: "07", dialcode: "254", country: "KE", countryName: "Kenya", network: "Telkom Kenya", rate: "0.0325", prevRate: "0.0351", rateStartDate: "2025-07-15" },
];

/**
 * US and Canadian area codes whose whole territory keeps one civil time, by IANA zone.
 * Deliberately conservative: a code is listed only when every place it serves is in that
 * zone, so a derived zone is never a guess. Left out (the campaign default applies): codes
 * that straddle a zone line (e.g. 850 Florida panhandle, 423/931 Tennessee, 605 and 701 the
 * Dakotas, 308 Nebraska, 620/785 Kansas, 208 Idaho, 541 Oregon, 915/432 west Texas, 906
 * Michigan's Upper Peninsula, 219/574/812 Indiana, 270/606 Kentucky), unofficial local time
 * (334 Phenix City, 580 Kenton, 775 West Wendover), Arizona's 928 (the Navajo Nation keeps DST), Alaska's
 * 907 (the Aleutians), and the multi-zone Canadian codes (250/778/236/672 British Columbia,
 * 306/639 Saskatchewan with Lloydminster, 418/581/367 Quebec, 709 Newfoundland and Labrador,
 * 807 northwestern Ontario, 867 the territories). Caribbean NANP countries resolve by country.
 */
const ZONES: Record<string, readonly number[]> = {
  'America/New_York': [
    // New England, New York, New Jersey, Pennsylvania, Delaware, Maryland, DC
    207, 603, 802, 339, 351, 413, 508, 617, 774, 781, 857, 978, 401, 203, 475, 860, 959, 212, 315, 332, 347, 516, 518, 585, 607,
    631, 646, 680, 716, 718, 838, 845, 914, 917, 929, 934, 201, 551, 609, 640, 732, 848, 856, 862, 908, 973, 215, 223, 267, 272,
    412, 445, 484, 570, 610, 717, 724, 814, 878, 302, 227, 240, 301, 410, 443, 667, 202,
    // Virginia, West Virginia, the Carolinas, Georgia, Ohio
    276, 434, 540, 571, 703, 757, 804, 826, 948, 304, 681, 252, 336, 704, 743, 828, 910, 919, 980, 984, 803, 839, 843, 854, 864,
    229, 404, 470, 478, 678, 706, 762, 770, 912, 943, 216, 220, 234, 326, 330, 380, 419, 440, 513, 567, 614, 740, 937,
    // Florida (not the panhandle), Lexington KY, Knoxville TN
    239, 305, 321, 352, 386, 407, 561, 689, 727, 754, 772, 786, 813, 863, 904, 941, 954, 859, 865,
  ],
  // Michigan's Lower Peninsula
  'America/Detroit': [231, 248, 269, 313, 517, 586, 616, 734, 810, 947, 989],
  'America/Indiana/Indianapolis': [317, 463, 260],
  'America/Kentucky/Louisville': [502],
  'America/Chicago': [
    // Alabama (not 334), Arkansas, Illinois, Iowa, Louisiana, Minnesota, Mississippi, Missouri, Oklahoma (not 580), Wisconsin
    205, 251, 256, 659, 938, 479, 501, 870, 217, 224, 309, 312, 331, 447, 464, 618, 630, 708, 773, 779, 815, 847, 872, 319, 515,
    563, 641, 712, 225, 318, 337, 504, 985, 218, 320, 507, 612, 651, 763, 952, 228, 601, 662, 769, 314, 417, 573, 636, 660, 816,
    405, 539, 918, 262, 414, 534, 608, 715, 920,
    // Texas (not the far west), eastern Kansas and Nebraska, middle and west Tennessee
    210, 214, 254, 281, 325, 346, 361, 409, 430, 469, 512, 682, 713, 726, 737, 806, 817, 830, 832, 903, 936, 940, 945, 956, 972,
    979, 316, 913, 402, 531, 615, 629, 731, 901,
  ],
  'America/Denver': [303, 719, 720, 970, 983, 406, 307, 505, 575, 385, 435, 801],
  'America/Phoenix': [480, 520, 602, 623],
  'America/Los_Angeles': [
    209, 213, 279, 310, 323, 341, 350, 408, 415, 424, 442, 510, 530, 559, 562, 619, 626, 628, 650, 657, 661, 669, 707, 714, 747,
    760, 805, 818, 820, 831, 840, 858, 909, 916, 925, 949, 951, 206, 253, 360, 425, 509, 564, 702, 725, 503, 971,
  ],
  'Pacific/Honolulu': [808],
  // Canada
  'America/Toronto': [226, 249, 289, 343, 365, 382, 416, 437, 519, 548, 613, 647, 683, 705, 742, 753, 905, 263, 354, 438, 450, 514, 579, 819, 873],
  'America/Winnipeg': [204, 431, 584],
  'America/Edmonton': [368, 403, 587, 780, 825],
  'America/Vancouver': [604],
  'America/Halifax': [782, 902],
  'America/Moncton': [428, 506],
};

const BY_AREA = new Map<string, string>(Object.entries(ZONES).flatMap(([zone, codes]) => codes.map((c) => [String(c), zone] as const)));

/**
 * The zone of a +1 number's area code when that code lies wholly in one zone, else null.
 *
 * @example
 * nanpTimeZone('+12125550100'); // 'America/New_York'
 * nanpTimeZone('+18505550100'); // null (the Florida panhandle straddles Eastern and Central)
 */
export function nanpTimeZone(e164: string): string | null {
  if (e164.length !== 12 || !e164.startsWith('+1')) return null;
  return BY_AREA.get(e164.slice(2, 5)) ?? null;
}
